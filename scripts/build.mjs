// Builds every entry with esbuild: the CLI and test server (Node ESM), the Electron main and
// preload (CommonJS, as a sandboxed preload must be), and the renderer (browser bundle).
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const out = path.join(root, 'dist');
const native = ['better-sqlite3-multiple-ciphers', 'electron'];
// voice codecs load their own files at run time (silk.wasm beside silk-wasm's entry; benz-amr-recorder's asm.js worker body): left in node_modules
const codecs = ['silk-wasm', 'benz-amr-recorder'];
const esmBanner = { js: "import { createRequire as __wecomRequire } from 'node:module'; const require = __wecomRequire(import.meta.url);" };
const worker = 'main/core/scan/detectWorker.ts';
const common = { bundle: true, sourcemap: 'linked', logLevel: 'warning', absWorkingDir: root };

fs.rmSync(out, { recursive: true, force: true });
const jobs = [
  // the scan's detection thread sits beside each entry that may scan (main/core/scan/detectPool.ts looks there)
  build({ ...common, entryPoints: { 'cli/main': 'main/cli/main.ts', 'cli/detectWorker': worker, 'testServer/index': 'main/testServer/index.ts', 'testServer/detectWorker': worker }, outdir: out, platform: 'node', format: 'esm', target: 'node20', external: [...native, ...codecs], banner: esmBanner }),
];
if (fs.existsSync(path.join(root, 'main/electron/main.ts'))) {
  jobs.push(build({ ...common, entryPoints: { 'electron/main': 'main/electron/main.ts', 'electron/detectWorker': worker }, outdir: out, outExtension: { '.js': '.cjs' }, platform: 'node', format: 'cjs', target: 'node22', external: [...native, ...codecs], logOverride: { 'empty-import-meta': 'silent' } })); // import.meta.url is only read where __filename is missing (ESM)
  jobs.push(build({ ...common, entryPoints: { 'preload/index': 'preload/index.ts' }, outdir: out, outExtension: { '.js': '.cjs' }, platform: 'node', format: 'cjs', target: 'node22', external: ['electron'] }));
}
if (fs.existsSync(path.join(root, 'renderer/index.tsx'))) {
  jobs.push(build({ ...common, entryPoints: { 'renderer/app': 'renderer/index.tsx' }, outdir: out, platform: 'browser', format: 'esm', target: 'chrome120', minify: true, jsx: 'automatic', loader: { '.woff2': 'file', '.png': 'file', '.svg': 'file' }, define: { 'process.env.NODE_ENV': '"production"' } }));
}
await Promise.all(jobs);
if (fs.existsSync(path.join(root, 'renderer/index.html'))) {
  fs.copyFileSync(path.join(root, 'renderer/index.html'), path.join(out, 'renderer/index.html'));
}
console.error(`built ${path.relative(process.cwd(), out) || out}`);
