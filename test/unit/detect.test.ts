import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AhoCorasick } from '../../main/core/detect/ahocorasick.js';
import { Detector } from '../../main/core/detect/engine.js';
import { normalizeDigits, normalizeWords, originalSpan } from '../../main/core/detect/normalize.js';
import { luhn, maskPii, validIdNumber } from '../../main/core/detect/pii.js';
import { jiebaSegmenter } from '../../main/core/detect/segment.js';
import type { Entry } from '../../main/core/detect/types.js';

const E = (e: Partial<Entry> & { id: string; term: string }): Entry => ({ category: 'guarantee', severity: 'high', match: 'literal', ...e });

test('normalization: separators, width, case, traditional, evasions, numerals — offsets map back', () => {
  const cases: [string, string][] = [
    ['保-本', '保本'],
    ['保 本', '保本'],
    ['稳.赚.不.赔！', '稳赚不赔'],
    ['保\u200b本', '保本'],
    ['保😀本', '保本'],
    ['ＡＢＣ１２３', 'abc123'],
    ['保證收益穩賺不賠', '保证收益稳赚不赔'],
    ['加我V信', '加我微信'],
    ['薇信', '微信'],
    ['威信号', '微信号'],
    ['加 v', '加微信'],
    ['wx：zhang', '微信zhang'],
    ['幺三八零零一三八零零零', '13800138000'],
    ['一起去三月', '一起去三月'], // short numeral runs stay words
  ];
  for (const [input, expected] of cases) assert.equal(normalizeWords(input).text, expected, input);
  const n = normalizeWords('他说：保-本！');
  const at = n.text.indexOf('保本');
  const [s, e] = originalSpan(n, at, at + 2);
  assert.equal('他说：保-本！'.slice(s, e), '保-本');
  const d = normalizeDigits('电话：138 0013-8000，另一个13900139000');
  assert.match(d.text, /13800138000，另一个13900139000/);
});

test('Aho–Corasick finds every occurrence, overlapping ones too', () => {
  const ac = new AhoCorasick(['he', 'she', 'his', 'hers', '保本', '本保']);
  const found: string[] = [];
  const text = 'ushers保本保本';
  ac.scan(text, (id, s, e) => found.push(`${id}:${text.slice(s, e)}`));
  assert.deepEqual(found.sort(), ['0:he', '1:she', '3:hers', '4:保本', '4:保本', '5:本保'].sort());
});

test('exclusions on the longer phrase, negation just before, side, proximity, regex, word boundaries', () => {
  const d = new Detector(
    [
      E({ id: 'G1', term: '保本', negatable: true, exclusions: ['非保本', '保本浮动收益'], side: 'staff' }),
      E({ id: 'G2', term: '收益', termB: '保证', window: 6, match: 'proximity', negatable: true, exclusions: ['保证金'] }),
      E({ id: 'R1', term: '年化\\d+(\\.\\d+)?稳', match: 'regex' }),
      E({ id: 'X1', term: '返现', category: 'gift', severity: 'medium', boundary: true }),
      E({ id: 'C1', term: '投诉', category: 'complaint', side: 'customer' }),
      E({ id: 'OFF', term: '停用词', enabled: false }),
    ],
    jiebaSegmenter(),
  );
  const rules = (t: string, side: 'staff' | 'customer' | 'both' = 'staff') => d.detect(t, side).map((h) => h.rule);
  assert.deepEqual(rules('这款产品保本保收益'), ['G1']);
  assert.deepEqual(rules('本产品不保本'), []);
  assert.deepEqual(rules('本产品为非保本浮动收益型'), []);
  assert.deepEqual(rules('我们不承诺保本'), []);
  assert.deepEqual(rules('没有风险，保本'), ['G1']); // the negation is not just before the term
  assert.deepEqual(rules('这款产品保本', 'customer'), []); // a customer asking is not a staff promise
  assert.deepEqual(rules('我保证您收益4%'), ['G2']);
  assert.deepEqual(rules('收益的事情我们以后再慢慢地聊，保证'), []); // too far apart
  assert.deepEqual(rules('收益与保证金无关'), []); // exclusion on the B term
  assert.deepEqual(rules('年化4.5稳了'), ['R1']);
  assert.deepEqual(rules('购买就返现'), ['X1']);
  assert.deepEqual(rules('返现金额'), []); // 现金 is the word here
  assert.deepEqual(rules('我要投诉你们', 'customer'), ['C1']);
  assert.deepEqual(rules('我要投诉你们', 'staff'), []);
  assert.deepEqual(rules('停用词'), []);
  const h = d.detect('说好了：保-本！', 'staff')[0]!;
  assert.equal('说好了：保-本！'.slice(h.start, h.end), '保-本');
  assert.equal(h.match, '保-本');
});

test('PII: ID checksum and date, Luhn cards, mobiles; masked by default', () => {
  assert.equal(validIdNumber('11010519491231002X'), true);
  assert.equal(validIdNumber('110105194912310021'), false); // checksum
  assert.equal(validIdNumber('110105194902300028'), false); // 30 February
  assert.equal(luhn('6217856100012345671'), true);
  assert.equal(luhn('6217856100012345672'), false);
  const d = new Detector([]);
  const rules = (t: string) => d.detect(t).map((h) => `${h.rule}:${h.match}`);
  assert.deepEqual(rules('身份证11010519491231002X'), ['pii.id_number:11010519491231002X']);
  assert.deepEqual(rules('身份证110105194912310021'), []);
  assert.deepEqual(rules('卡号 6217 8561 0001 2345 671'), ['pii.bank_card:6217 8561 0001 2345 671']);
  assert.deepEqual(rules('订单号6217856100012345672'), []);
  assert.deepEqual(rules('电话138-0013-8000，座机95588'), ['pii.mobile:138-0013-8000']);
  assert.deepEqual(rules('号码是幺三八零零一三八零零零'), ['pii.mobile:幺三八零零一三八零零零']);
  assert.deepEqual(rules('13800138000，13900139000'), ['pii.mobile:13800138000', 'pii.mobile:13900139000']);
  assert.equal(maskPii('pii.id_number', '11010519491231002X'), '110105********002X');
  assert.equal(maskPii('pii.mobile', '138-0013-8000'), '138****8000');
});

test('a 60,000-term dictionary builds and matches exactly', () => {
  const terms = Array.from({ length: 60_000 }, (_, i) => `词${i.toString(36)}条`);
  const d = new Detector(terms.map((term, i) => E({ id: `T${i}`, term })), undefined, false);
  assert.equal(d.size, 60_000);
  const hits = d.detect('前缀词a1b条中间词zz条后缀', 'both');
  assert.deepEqual(hits.map((h) => h.rule), [`T${parseInt('a1b', 36)}`, `T${parseInt('zz', 36)}`]);
});

test('context: questions are not negations, modal negations reach over a clause, warnings and quotations are mentions', () => {
  const d = new Detector(
    [
      E({ id: 'g', term: '保本', negatable: true, side: 'staff' }),
      E({ id: 't', term: '借您的卡', category: 'private_transfer', negatable: true, side: 'staff' }),
      E({ id: 'w', term: '加微信', category: 'diversion', negatable: true, side: 'staff' }),
      E({ id: 'c', term: '投诉', category: 'complaint', negatable: true, side: 'customer' }),
    ],
    undefined,
    false,
  );
  const rules = (text: string, side: 'staff' | 'customer' = 'staff') => d.detect(text, side).map((h) => h.rule);
  // 能不能 asks; 不能 forbids
  assert.deepEqual(rules('能不能借您的卡用一下'), ['t']);
  assert.deepEqual(rules('我不能借您的卡'), []);
  // a modal negation covers its clause, up to eight characters on; not across a comma
  assert.deepEqual(rules('资管新规以后不会再有保本理财了'), []);
  assert.deepEqual(rules('不会亏的，保本'), ['g']);
  assert.deepEqual(rules('没有风险，保本'), ['g']);
  assert.deepEqual(rules('我不会因为这点事投诉你的', 'customer'), []);
  // a warning clause or a quotation in a prohibition is a mention, not a sale
  assert.deepEqual(rules('那个让人加微信的是假冒的，您别理'), []);
  assert.deepEqual(rules('别信那些假冒的，加微信找我'), ['w']);
  assert.deepEqual(rules('跟客户不能说“保本”，这是红线'), []);
  assert.deepEqual(rules('这个产品“保本”的，放心'), ['g']);
  // complaints are not silenced by words like 诈骗 in their clause
  assert.deepEqual(rules('你们这是诈骗我要投诉', 'customer'), ['c']);
});

test('pinyin evasions: half-spelled terms match (bao本, 稳zhuan不pei, tou诉), negated ones do not, Latin alone does not', async () => {
  const { pinyinVariants } = await import('../../main/core/detect/pinyin.js');
  assert.deepEqual(pinyinVariants('保本').sort(), ['bao本', '保ben'].sort());
  assert.ok(pinyinVariants('赚钱').includes('zhuan钱') && pinyinVariants('赚钱').includes('zuan钱'), 'every reading of 赚');
  assert.deepEqual(pinyinVariants('保'), [], 'one character: not a term to spell');
  assert.deepEqual(pinyinVariants('保本保收益'), [], 'five characters: left as written');
  const d = new Detector(
    [
      E({ id: 'g', term: '保本', negatable: true, boundary: true }),
      E({ id: 'w', term: '稳赚不赔' }),
      E({ id: 'c', term: '投诉', category: 'complaint', side: 'customer' }),
    ],
    jiebaSegmenter(),
    false,
  );
  const found = (text: string) => d.detect(text, 'both').map((h) => `${h.rule}:${h.match}`);
  assert.deepEqual(found('放心，bao本的'), ['g:bao本']);
  assert.deepEqual(found('稳zhuan不pei的'), ['w:稳zhuan不pei']);
  assert.deepEqual(found('我要tou诉你们'), ['c:tou诉']);
  assert.deepEqual(found('这款不bao本'), [], 'negation still applies');
  assert.deepEqual(found('baoben tousu fanxian'), [], 'whole-pinyin spellings are not matched');
});

test('pinyin evasions in regex rules: 您zhuan我卡上 and 把mi码发我 match, prefiltered or not; Latin alone and Latin-free text as before', async () => {
  const { pinyinRegexSource } = await import('../../main/core/detect/pinyin.js');
  assert.equal(pinyinRegexSource('转(到)?我[卡]\\d{2}'), '(?:转|zhuan|zhuai)((?:到|dao))?(?:我|wo)[卡]\\d{2}', 'every reading; classes, escapes and quantifiers stay as written');
  assert.equal(pinyinRegexSource('\\d+(%|个点)')?.includes('(?:个|ge)'), true);
  assert.equal(pinyinRegexSource('[a-z]{5,19}'), null, 'nothing Chinese: nothing to spell');
  const entries = [
    E({ id: 't', term: '(转|打|汇)(到|进)?我(的)?(个人)?(银行卡|卡)(上|里)', category: 'private_transfer', match: 'regex' }),
    E({ id: 'p', term: '(密码|验证码)(也)?(发|给|告诉)(我|过来)', category: 'pii', match: 'regex' }),
  ];
  for (const prefilter of [true, false]) {
    const d = new Detector(entries, jiebaSegmenter(), false, prefilter);
    const found = (text: string) => d.detect(text, 'staff').map((h) => `${h.rule}:${h.match}`);
    assert.deepEqual(found('您zhuan我卡上，我代您买'), ['t:zhuan我卡上']);
    assert.deepEqual(found('钱打到我个人ka上'), ['t:打到我个人ka上']);
    assert.deepEqual(found('把mi码发我，我帮您弄'), ['p:mi码发我']);
    assert.deepEqual(found('钱转到我卡上'), ['t:转到我卡上'], 'as written, as before');
    assert.deepEqual(found('zhuan dao wo ka shang, mima fa wo'), [], 'whole pinyin is not matched');
    assert.deepEqual(found('请看 https://bank.example/zhuan/woka 这个链接'), []);
  }
});
