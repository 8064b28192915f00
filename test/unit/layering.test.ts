/**
 * The layering rules (DEVELOPERS.md, shared/design/models.md) as a test: what may import what.
 * A small reader of import specifiers instead of an ESLint plugin: no extra dependencies, and
 * a violation fails CI the same way.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../helpers/store.js';

type Source = { file: string; imports: { spec: string; typeOnly: boolean; resolved: string | null }[] };

function walk(dir: string, out: string[] = []): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) walk(full, out);
    else if (/\.(ts|tsx)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

function sources(): Source[] {
  const files = ['main', 'preload', 'renderer'].flatMap((d) => walk(path.join(ROOT, d)));
  return files.map((file) => {
    const text = fs.readFileSync(file, 'utf8');
    const imports: Source['imports'] = [];
    const re = /^\s*(import|export)\s+(type\s+)?[^'";]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const spec = (m[3] ?? m[4] ?? m[5])!;
      const resolved = spec.startsWith('.') ? path.relative(ROOT, path.resolve(path.dirname(file), spec)).replace(/\.js$/, '') : null;
      imports.push({ spec, typeOnly: !!m[2], resolved });
    }
    return { file: path.relative(ROOT, file), imports };
  });
}

const NODE_BUILTINS = /^(node:|fs$|path$|os$|child_process$|crypto$|worker_threads$|zlib$|http$|net$)/;

test('layering: who may import what', () => {
  const problems: string[] = [];
  const all = sources();
  assert.ok(all.length > 10);
  for (const { file, imports } of all) {
    for (const imp of imports) {
      const bad = (why: string) => problems.push(`${file}: import '${imp.spec}' — ${why}`);
      const to = imp.resolved ?? '';
      // electron only in main/electron and the preload bridge
      if (imp.spec === 'electron' && !file.startsWith('main/electron/') && file !== 'preload/index.ts') bad('electron only in main/electron and preload/index.ts');
      // only the store opens the database
      if (imp.spec.startsWith('better-sqlite3') && !file.startsWith('main/core/store/') && !/^(test|bench)\//.test(file)) {
        if (!imp.typeOnly) bad('only main/core/store opens the store');
      }
      if (file.startsWith('main/core/')) {
        if (/^(main\/(electron|cli|testServer)|renderer)/.test(to)) bad('the core never imports a host or the renderer');
        if (to === 'preload/index') bad('the core never imports the bridge');
        if (file.startsWith('main/core/detect/') && to.startsWith('main/core/store')) bad('detection stays store-free');
      }
      if (/^main\/(cli|testServer)\//.test(file)) {
        if (to.startsWith('main/electron') || to.startsWith('renderer')) bad('hosts other than Electron never import electron code or the renderer');
      }
      if (file.startsWith('main/electron/') && (to.startsWith('main/cli') || to.startsWith('main/testServer') || to.startsWith('renderer'))) bad('Electron host imports only core and the contract');
      if (file === 'preload/index.ts' && imp.resolved && to !== 'preload/api') bad('the bridge imports only the contract');
      // the other files in preload/ (csv.ts) are helpers the renderer and the core may both import: pure, so a page and Node can load them
      if (file.startsWith('preload/') && file !== 'preload/index.ts' && file !== 'preload/api.ts') bad('shared helpers in preload/ import nothing');
      if (file.startsWith('renderer/')) {
        if (to.startsWith('main/')) bad('the renderer never imports main');
        if (to === 'preload/api' && !imp.typeOnly) bad('the renderer imports only types from the contract');
        if (to === 'preload/index') bad('the renderer never imports the bridge');
        if (NODE_BUILTINS.test(imp.spec)) bad('the renderer is a browser page');
        const feature = /^renderer\/features\/([^/]+)\//.exec(file)?.[1];
        const target = /^renderer\/features\/([^/]+)/.exec(to)?.[1];
        if (feature && target && feature !== target) bad('features do not import each other');
      }
    }
  }
  assert.deepEqual(problems, []);
  // the point of the shared helper: the renderer's CSV goes through it
  const csvUsers = all.filter((s) => s.imports.some((i) => i.resolved === 'preload/csv')).map((s) => s.file);
  assert.ok(csvUsers.some((f) => f.startsWith('renderer/')), 'the renderer uses preload/csv.ts');
});
