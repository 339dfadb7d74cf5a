// Typst baseline for bench/run: compiles MAIN.typ to OUT.pdf with typst.ts
// (the Typst compiler as a Node addon), using only the fonts in FONT_DIR.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { NodeCompiler } = require('@myriaddreamin/typst-ts-node-compiler');

const [main, out, fontDir] = process.argv.slice(2);
if (!fontDir) {
  console.error('usage: node typst-pdf.js MAIN.typ OUT.pdf FONT_DIR');
  process.exit(2);
}
const compiler = NodeCompiler.create({
  workspace: path.dirname(path.resolve(main)),
  fontArgs: [{ fontPaths: [fontDir] }],
});
const result = compiler.compile({ mainFilePath: path.resolve(main) });
if (result.hasError()) {
  result.printErrors();
  process.exit(1);
}
fs.writeFileSync(out, compiler.pdf(result.result));
