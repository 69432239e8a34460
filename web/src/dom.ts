// Elements built from text, never from HTML: nothing a user or the model writes is parsed as markup.

type Child = Node | string | null | undefined | false;
type Attributes = { [name: string]: string | boolean | ((event: Event) => void) | undefined };

/** `h('button', {type: 'submit', onclick: f}, 'Send')`: an element with attributes, listeners and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') {
      element.addEventListener(name.replace(/^on/, ''), value);
    } else {
      element.setAttribute(name, value === true ? '' : value);
    }
  }
  element.append(...children.filter((c): c is Node | string => c !== null && c !== undefined && c !== false));
  return element;
}

/** Replaces everything in `parent` with `children`. */
export function mount(parent: Element, ...children: Node[]): void {
  parent.replaceChildren(...children);
}
