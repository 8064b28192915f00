# One-off edit of resources/dictionaries/default.json after the second blind corpus's held-out
# half was measured (recall 75.7%, false positives 5.1%): its misses and false alarms, as
# patterns. Kept as the record; run once, after 2026-11-27-blind2-dev.py.
import sys, os
sys.path.insert(0, os.path.dirname(__file__))
from edit import Edit
ed = Edit()
d, E, by, note_of, upd, add = ed.d, ed.entries, ed.by, ed.note_of, ed.upd, ed.add

# guarantee
add('G130', '(跟|和|与|同)(存款|定期)(没|没有|没啥|没什么)?(区别|两样|差别|一个性质|性质一样|一样安全)', 'guarantee', 'high', 'regex', 'G120', '"跟存款没区别""跟存款一个性质"：把理财说成存款。')
add('G131', '亏不了', 'guarantee', 'high', 'literal', 'G120', '"亏不了的"。', exclusions=['不是亏不了', '并非亏不了', '谁说亏不了', '没有亏不了'])
add('G132', '(肯定|一定|保证|百分百|绝对|铁定)(能)?(按期)?(兑付|刚兑|到账|拿回本金)', 'guarantee', 'high', 'regex', 'G120', '"到期肯定兑付"。')
by['G083'].setdefault('exclusions', []).extend(['只有存款', '仅存款', '只有存款才', '不受存款保险', '不在存款保险'])

# diversion
add('D087', '加(一下)?我(自己|私人|个人|本人)的?(微信|号|手机)', 'diversion', 'high', 'regex', 'D004', '"加一下我自己的微信"。')
add('D088', '(下载|装|用|加)(个|一个|一下)?(钉钉|飞书|陌陌|电报|telegram|whatsapp|line|skype)', 'diversion', 'high', 'regex', 'D004', '"您下载个钉钉，以后在那上面沟通"：改用存档之外的通讯工具。')
add('D089', '微信(号)?(搜|加|是)?1[3-9]\\d{9}', 'diversion', 'high', 'regex', 'D004', '"薇信搜 159…"：以手机号为微信号引导添加。')

# private_transfer
add('T051', '(收款)?(账户|账号|户名|收款人)(就)?(写|填)(我的名字|我的|我|我名字)', 'private_transfer', 'high', 'regex', 'T001', '"收款账户写我的名字"。')
add('T052', '(取出来|取出|提出来|取现|取了)(交|给|转)(给)?我', 'private_transfer', 'high', 'regex', 'T001', '"把定期取出来交给我"。')
add('T053', '(走|打到|转到|汇到|付到|打进)(我)?(朋友|亲戚|合作|表哥|熟人)(的)?公司(的)?(账户|账上|户头|账号)', 'private_transfer', 'high', 'regex', 'T001', '"认购款走我朋友公司的账户"。')
add('T054', '(转|打|汇|存)(到|进|给)?我(的)?(个人)?(ka|k)(上|里)', 'private_transfer', 'high', 'regex', 'T001', '"钱转到我k上"：卡的拼音缩写。')

# off_book
add('O115', '私下(帮|给|替)(您|你|朋友)?(公司)?(推|对接|介绍|留|卖|办|买|联系)', 'off_book', 'high', 'regex', 'O078', '"我私下帮您对接""私下给您留了额度"。')
add('O116', '(内部特供|特供产品|内部产品|内部的额度|内部额度)', 'off_book', 'high', 'regex', 'O078', '"内部特供的，只有我这有额度"。', exclusions=['内部产品目录', '内部产品库'])
add('O117', '(额度|产品|私募|信托|项目)(是)?内部的', 'off_book', 'high', 'regex', 'O078', '"私募额度，内部的"。')
add('O118', '外面(那个|这个|的那个|那款|这款)(信托|私募|理财|产品|基金|项目)', 'off_book', 'high', 'regex', 'O078', '"外面那个信托"。')
upd('O114', '(信托|私募|基金|理财|产品|合同|项目)(是)?外面(公司|机构)?的')

# pii: asking for passwords and codes, also half-spelled
NOUNS = '身份证号码|身份证号|身份证|证件号码|证件号|银行卡号|卡号|取款密码|交易密码|支付密码|登录密码|查询密码|网银密码|手机银行密码|密码|蜜码|秘码|mi码|短信验证码|验证码|yan证码|动态码|动态密码|cvv2|cvv|安全码|u盾'
upd('P001', f'({NOUNS})(也|都|先|就|再|一起|一并|直接|全){{0,2}}(发|报|告诉|给|拍|传|私信|截图|交|留)(一下|下|给|过来)?(我|过来)')
upd('P002', f'(把|将)(你|您)?(的)?({NOUNS})(发|报|告诉|给|拍|传|私信|截图|交|留)')

# gift
upd('R060', '(存|买|购买|认购|投保|转入|存入)(款|理财|保险|基金|产品|大额存单|定期|存款|结构性存款)?(满)?\\d+(万|千|w)(元)?(大额存单|定期|存款|理财)?(以上|及以上|起)?(就)?(送|返|赠)')
add('R066', '(油|米|大米|花生油|礼品|礼物|购物卡|加油卡|鸡蛋|茅台|酒)送(您|你)', 'gift', 'medium', 'regex', 'R015', '"我这有两桶花生油送您"。')
add('R067', '(返|退|补|贴)(您|你|给您|给你)?\\d+(块|元|块钱)(现金)?', 'gift', 'high', 'regex', 'R015', '"再给您返200块现金"。', exclusions=['退您手续费', '退给您手续费'])

ed.save()
