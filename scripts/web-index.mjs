#!/usr/bin/env node
// Writes OUT/index.html from the template (web/index.html) with the content-hashed names esbuild gave the entry
// points (OUT/meta.json), and copies the icon (web/src/icon.svg) under a name hashed the same way: the page links
// main-HASH.js, style-HASH.css and icon-HASH.svg.
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const [out, template] = process.argv.slice(2);
const meta = JSON.parse(readFileSync(join(out, 'meta.json'), 'utf8'));
const outputs = Object.entries(meta.outputs).map(([path, o]) => ({ path: relative(out, path), entry: o.entryPoint }));
function find(entry) {
  const hit = outputs.find((o) => o.entry === entry);
  if (!hit) { console.error(`web-index: esbuild wrote nothing for ${entry}`); process.exit(1); }
  return '/' + hit.path;
}
const icon = readFileSync('web/src/icon.svg');
const iconName = `assets/icon-${createHash('sha256').update(icon).digest('hex').slice(0, 8).toUpperCase()}.svg`;
copyFileSync('web/src/icon.svg', join(out, iconName));
const html = readFileSync(template, 'utf8')
  .replace('%JS%', find('web/src/main.ts'))
  .replace('%CSS%', find('web/src/style.css'))
  .replace('%ICON%', '/' + iconName);
writeFileSync(join(out, 'index.html'), html);
