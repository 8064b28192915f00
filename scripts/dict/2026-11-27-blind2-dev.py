# One-off edit of resources/dictionaries/default.json after the second blind corpus's development
# half (odd lines; the even lines held out and measured once). Kept as the record of what
# changed and why; run once. Patterns, not lines: each entry covers a way of saying it.
import sys, os
sys.path.insert(0, os.path.dirname(__file__))
from edit import Edit
ed = Edit()
d, E, by, note_of, upd, add = ed.d, ed.entries, ed.by, ed.note_of, ed.upd, ed.add
N = r'[\d一二两三四五六七八九十几百千]+'

# guarantee: making up a shortfall, "本金保住", a yield that "won't move"
add('G126', '(少了|亏了|赔了|不够|差了|跌了)(多少|的|的部分|部分)?(都)?(我|我自己|我个人|算我)(来|给您|给你)?(补|赔|贴|兜|垫|出)', 'guarantee', 'high', 'regex', 'G120', '"少了我自己补给您"：员工承诺弥补损失即保本保收益。')
add('G127', '(本金|本钱)(能|都能|肯定|一定|绝对|百分百)?(保得住|保住|保得牢)', 'guarantee', 'high', 'regex', 'G120', '"本金保住"。', exclusions=['本金能不能保住', '本金保不保得住', '保住本金的前提'])
add('G128', '(利息|收益|年化|回报|分红)(.{0,8})(雷打不动|板上钉钉|铁打的|跑不掉|稳如泰山)', 'guarantee', 'high', 'regex', 'G120', '"每年利息4个点雷打不动"。')
add('G129', '(最低|保底)(收益|年化|利息)(率)?(我)?(给|跟|向)(您|你)保证', 'guarantee', 'high', 'regex', 'G120', '"最低收益我给您保证在3%"。')
for i in ('G032', 'G033'):
    # a structured deposit's 保底收益率 is its documented floor, a deposit term, not a promise
    by[i].setdefault('exclusions', []).extend(['保底收益率和', '保底收益率与', '保底收益率至', '保底利率', '结构性存款的保底'])

# diversion: another group, a WeChat id to search, a relative's WeChat, the inspector sees it here
upd('D019', '微信(号)?(上)?(搜一下|搜|加一下|加|是|为|号是)?(我的)?(号|微信号|账号)?(是)?[a-z][a-z0-9_-]{5,19}')
add('D081', '(另外|单独|私下|再)(拉|建|组)(个|一个)?(微信|私人)?(小)?群', 'diversion', 'medium', 'regex', 'D004', '"我另外拉个微信小群"：把客户拉到存档之外的群。', exclusions=['企业微信群'])
add('D082', '加(一下)?我(的)?(爱人|老婆|老公|媳妇|家人|朋友|女儿|儿子|同事|助理)(的)?(微信|电话|手机|qq)', 'diversion', 'high', 'regex', 'D004', '"您加我爱人的微信"：借亲友账号私下联系。')
add('D083', '(被|让)(质检|抽查|合规|监控|稽核)(的人)?(看到|查到|发现|抽到|听到)', 'diversion', 'high', 'regex', 'D004', '"在这里说会被质检看到"：为躲避会话存档转移渠道。')
add('D084', '(发|打)(个)?(短信|电话)(到|给)我(的)?(手机|私人手机|个人手机)?', 'diversion', 'medium', 'regex', 'D004', '"发个短信到我手机"：改用短信、电话沟通。')
add('D085', '(私人|个人|私)(的)?(薇|威|卫|维|v)(信|号)?(是|号)?[a-z0-9]', 'diversion', 'high', 'regex', 'D004', '"私人薇：zhao_88"：微信的谐音加账号。')
add('D086', '微信(上)?搜(一下)?我', 'diversion', 'medium', 'regex', 'D004', '"微信搜一下我"。')

# private_transfer: fees in a red packet, a personal payment code, "transfer it to me, I'll pay it in for you"
add('T046', '(手续费|费用|服务费|保费|认购款|本金|钱|款)(您|你)?(先|直接|就)?(发|给|转)(我|给我)(个)?(红包|微信|支付宝)', 'private_transfer', 'high', 'regex', 'T001', '"手续费您直接发我红包"。')
add('T047', '(扫|付到|付给|转到)(我|我的)(这个|个人|私人|自己)?(的)?(收款码|二维码|付款码)', 'private_transfer', 'high', 'regex', 'T001', '"您扫我这个收款码付"。')
add('T048', '我(个人|私人|自己)的(收款)?码', 'private_transfer', 'high', 'regex', 'T001', '"是我个人的码"。')
add('T049', '(转|打|汇)(给|到)我(这|这里|这儿)?(就行|就好|就可以|即可)', 'private_transfer', 'high', 'regex', 'T001', '"保费您转给我就行"。')
add('T050', '我(帮|替)(您|你)(代交|代缴|代付|代买|代购|代投|垫付后)', 'private_transfer', 'high', 'regex', 'T001', '"我帮您代交"：员工经手客户资金。', exclusions=['代缴水电', '代缴费', '代缴业务'])

# off_book: a product from outside, a friend's company, private lending, "internal" private funds
add('O107', '(介绍|推荐|给您找|给你找)(个|一个|一款|些|几个)?(外面|行外|别家|朋友那边)(的)?', 'off_book', 'high', 'regex', 'O078', '"我给您介绍个外面的"：推介行外产品。')
add('O108', '(朋友|亲戚|表哥|表姐|熟人|同学|老乡|老同学)(的)?(公司|那边|机构)(发|出|做|发行)?的(理财|产品|项目|基金|私募|信托)', 'off_book', 'high', 'regex', 'O078', '"朋友公司发的理财"。')
add('O109', '月息' + N + '(分|个点|厘)', 'off_book', 'high', 'regex', 'O078', '"月息1分5"：民间借贷式的高息项目。')
add('O110', '内部(渠道|额度|名额|认购)(的)?(私募|信托|产品|理财|基金|项目)', 'off_book', 'high', 'regex', 'O078', '"员工内部渠道的私募"。')
add('O111', '不(用|需要|必)(做|填)?(风险)?(测评|评估|风评|问卷)', 'off_book', 'high', 'regex', 'O078', '"不用做风险测评"：规避适当性管理。', negatable=False)
add('O112', '(别|不要|不用)买(行里|我们行|咱们行|银行)的', 'off_book', 'high', 'regex', 'O078', '"这笔钱别买行里的了"。', negatable=False)
add('O113', '投(到)?(我|我的)(表哥|表姐|亲戚|朋友|同学|老乡|家里|哥|姐|弟)?的?(公司|项目|厂)', 'off_book', 'high', 'regex', 'O078', '"投我表哥的公司"。')
add('O114', '(信托|私募|基金|理财|产品)(是)?外面(公司|机构)?的', 'off_book', 'high', 'regex', 'O078', '"保本的信托，外面的"。')
upd('O096', '不(用|必|需要)?(走|经过)(行里|我们行|咱们行|系统|柜面|流程|行里的流程|行里账|银行)')

# complaint: the regulator's current name
for i, t in [('C078', '监督管理总局'), ('C079', '监管总局')]:
    add(i, t, 'complaint', 'high', 'literal', 'C010', '国家金融监督管理总局（原银保监会）。', side='customer')

# gift: purchase thresholds with 满/以上, fees handed back, a phone for buying
add('R060', '(存|买|购买|认购|投保|转入|存入)(款|理财|保险|基金|产品)?(满)?\\d+(万|千|w)(元)?(以上|及以上|起)?(就)?(送|返|赠)', 'gift', 'high', 'regex', 'R015', '"买5万以上送一桶油""买理财满10万送"。')
add('R061', '(申购费|认购费|手续费|管理费|佣金)(我)?(私下|偷偷|额外)?(返|退|补)(给)?(您|你)', 'gift', 'high', 'regex', 'R015', '"申购费我私下返给您"。')
add('R062', '送(您|你)(一部|一台|一桶|一袋|一张|一件|一个|一箱|一套)', 'gift', 'medium', 'regex', 'R015', '"就送您一部手机"。', exclusions=['送您一个提醒', '送您一句话', '送您一个建议'])
for i, t in [('R063', '买就送'), ('R064', '认购送'), ('R065', '购买送')]:
    add(i, t, 'gift', 'high', 'literal', 'R015', '以购买为条件赠送。')

d['version'] = d.get('version', 1)
ed.save()
