#!/usr/bin/env node
// The project's own lint of the web app (web/src), beside tsc's checks: no markup from strings (innerHTML,
// outerHTML, insertAdjacentHTML, document.write), no eval or Function constructor, no `any`, no stray console.log,
// no inline event attributes in the HTML. Each finding as FILE:LINE: rule; exit 1 when there is one.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const rules = [
  [/\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML\s*\(|document\.write\s*\(/, 'markup from a string (use dom.ts h())'],
  [/\beval\s*\(|new\s+Function\s*\(/, 'code from a string'],
  [/:\s*any\b|<any>|as\s+any\b/, '`any` type'],
  [/console\.log\s*\(/, 'console.log left in'],
  [/\bon[a-z]+\s*=\s*["']/, 'inline event attribute'],
];

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

let findings = 0;
for (const root of process.argv.slice(2)) {
  for (const file of (statSync(root).isDirectory() ? files(root) : [root]).filter((f) => /\.(ts|html)$/.test(f))) {
    readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
      if (/^\s*(\/\/|\*|\/\*)/.test(line)) return;
      for (const [pattern, rule] of rules) {
        if (pattern.test(line)) {
          console.error(`${file}:${i + 1}: ${rule}`);
          findings += 1;
        }
      }
    });
  }
}
if (findings > 0) {
  console.error(`web-lint: ${findings} finding${findings === 1 ? '' : 's'}`);
  process.exit(1);
}
