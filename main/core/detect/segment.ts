/** jieba word segmentation (native, prebuilt by @node-rs/jieba), loaded on first use. */
import { createRequire } from 'node:module';
import type { Segmenter } from './engine.js';

let cut: Segmenter | null = null;

export function jiebaSegmenter(): Segmenter {
  if (!cut) {
    // createRequire keeps this loadable from both the ESM bundle and CommonJS (Electron main)
    const req = createRequire(typeof __filename === 'string' ? __filename : import.meta.url);
    const { Jieba } = req('@node-rs/jieba') as typeof import('@node-rs/jieba');
    const { dict } = req('@node-rs/jieba/dict') as { dict: Uint8Array };
    const jieba = Jieba.withDict(dict);
    cut = (text) => jieba.cut(text, false);
  }
  return cut;
}
