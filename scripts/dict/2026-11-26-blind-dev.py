# One-off edit of resources/dictionaries/default.json after the blind corpus's development half
# (kept as the record of what changed and why; run once). Patterns, not lines: each entry
# covers a way of saying it, with the clause of the sibling entries it enforces.
import json, sys
p = 'resources/dictionaries/default.json'
d = json.load(open(p))
E = d['entries']
by = {e['id']: e for e in E}
def note_of(i, extra): return by[i]['note'].split('。')[0] + '。' + extra
def upd(i, term): by[i]['term'] = term
def add(i, term, cat, sev, match, src, extra, **kw):
    assert i not in by, i
    e = {'id': i, 'term': term, 'category': cat, 'severity': sev, 'match': match, 'negatable': kw.pop('negatable', True), 'side': kw.pop('side', 'staff'), 'enabled': True, 'note': note_of(src, extra)}
    e.update(kw); E.append(e); by[i] = e

# guarantee
add('G121', '(本金|本息|本钱|收益|利息)(和|加|连)?(收益|利息|本金)?.{0,6}(一分不少|分文不少|一分都不会少|一分钱都不会少|一分也不少)', 'guarantee', 'high', 'regex', 'G120', '"到期本金加收益一分不少"。')
add('G122', '(本金|本钱)(是|都是|绝对是|肯定是)?(有|绝对有|肯定有|百分百有)保[证障]', 'guarantee', 'high', 'regex', 'G120', '"本金是有保证的"。')
add('G123', '(收益|年化|利息|回报)(肯定|绝对|一定|保证|稳稳|稳稳的|妥妥|妥妥的|铁定)(的)?(能)?(有|能有|能到|在|是)?\\d+(\\.\\d+)?(个点|点)?', 'guarantee', 'high', 'regex', 'G120', '"收益肯定有5%""收益稳稳的4个点"。')
add('G124', '打包票', 'guarantee', 'high', 'literal', 'G120', '员工"打包票"即对收益或本金作出保证。', exclusions=['谁也不敢打包票', '没人敢打包票', '没人能打包票'])
add('G125', '保证(到期|届时)?(能|可以|一定能)?(拿到|拿回|收回|兑付|到账)', 'guarantee', 'high', 'regex', 'G120', '"保证到期能拿到"。')
# diversion
upd('D019', '微信(号)?(搜一下|搜|加一下|加|是|为|号是)?[a-z][a-z0-9_-]{5,19}')
upd('D020', '(qq|扣扣).{0,4}\\d{5,11}')
add('D072', '(微信|qq|扣扣|电话|手机)(上)?(找|联系|加|私聊|聊|搜)我', 'diversion', 'medium', 'regex', 'D004', '"有事微信找我""电话联系我"。', exclusions=['企业微信'])
for i, t in [('D073', '打我电话'), ('D074', '给我打电话'), ('D075', '当面说'), ('D076', '当面聊'), ('D077', '当面谈')]:
    add(i, t, 'diversion', 'medium', 'literal', 'D004', '引导客户离开会话存档改用电话或私下见面。', exclusions=['网点当面', '行里当面', '柜台当面', '来网点', '到网点', '营业厅当面', '客服电话'])
add('D078', '(别|不要|千万别|千万不要|不用)(跟|和|让|告诉)(行里|我们行|咱们行|行领导|领导|柜台|柜面|同事|网点|银行|行里其他人|行里的人)', 'diversion', 'high', 'regex', 'D004', '要求客户对银行隐瞒沟通内容（"这事别跟行里说"），属私下开展业务的典型信号。', negatable=False)
add('D079', '(换|找)(个)?(地方|茶馆|咖啡馆|咖啡厅|饭店)(坐坐|说|聊|谈)', 'diversion', 'medium', 'regex', 'D004', '约客户到存档之外的场所沟通。')
add('D080', '聊天记录.{0,6}(抽查|检查|看到|监控|被查)', 'diversion', 'high', 'regex', 'D004', '以"聊天记录会被抽查"为由转移沟通渠道。')
# private_transfer
upd('T001', '(转|打|汇|存|付)(账|帐|款|钱)?(到|进|入|给)?(我|我的|我个人|我私人|我自己)(的|名下的|名下|自己的|自己名下的)?(个人|私人|自己)?(的)?(银行卡|卡|卡上|卡里|账户|帐户|账号|帐号|户头|支付宝|微信|私人账户|个人账户)')
upd('T002', '(我|我的)(老婆|老公|爱人|媳妇|妻子|丈夫|家人|亲戚|朋友|同事|妈|爸|母亲|父亲|弟弟|妹妹|哥哥|姐姐|表弟|表哥|表妹|表姐|小舅子|小姨子|舅舅|侄子)(的)?(银行卡|卡号|卡|账户|帐户|账号|帐号|支付宝)')
add('T038', '(转|打|汇|存)(到|进|给)?我(的)?(工行|农行|建行|中行|招行|交行|邮储|他行|别的银行)?(那张|这张)(卡|银行卡)', 'private_transfer', 'high', 'regex', 'T001', '"转到我工行那张卡上"。')
add('T039', '户名.{0,8}(我|我的)(老婆|老公|爱人|家人|亲戚|朋友|同事|妈|爸|弟弟|妹妹|哥哥|姐姐|表妹|表弟|表哥|表姐)', 'private_transfer', 'high', 'regex', 'T002', '要求转入员工亲属名下账户（"户名张敏，我表妹"）。')
add('T040', '借(给)?我[\\d一二两三四五六七八九十几百千]+(万|千|百|块|元)', 'private_transfer', 'high', 'regex', 'T001', '员工向客户借款。')
add('T041', '先借我', 'private_transfer', 'high', 'literal', 'T001', '员工向客户借款。')
add('T042', '(银行卡|卡|存折|存单|u盾|网银盾|密码器|身份证|网银)(和密码)?(先)?(放|留|交|寄存|存放)(在)?我(这|这里|这儿|那|手上|手里)', 'private_transfer', 'high', 'regex', 'T001', '员工代客户保管卡、折、U盾等支付工具。')
add('T043', '(存折|存单|银行卡|u盾|卡)我(先)?(帮|替)(您|你)(保管|收着|拿着)', 'private_transfer', 'high', 'regex', 'T001', '员工代客户保管支付工具。')
add('T044', '(卡|银行卡|存折)和密码(都)?(留|给|交)(给)?我', 'private_transfer', 'high', 'regex', 'T001', '索要卡和密码代客操作。')
add('T045', '单独(转|打|给)(给)?我', 'private_transfer', 'high', 'regex', 'T001', '费用单独转给员工个人。')
# off_book
add('O096', '不(走|经过)(行里|我们行|咱们行|系统|柜面|流程|行里的流程|行里账|银行)', 'off_book', 'high', 'regex', 'O078', '"不走行里的流程""不走柜面"：业务脱离银行系统办理。', negatable=False)
add('O097', '不在(我们|我行|行里|我们行|咱们行)?(的)?(代销)?(名单|系统|货架|产品目录|产品库)', 'off_book', 'medium', 'regex', 'O078', '推介不在本行代销名单或系统内的产品（飞单）。', exclusions=['所以不能', '不能卖', '没法卖', '不能购买'])
add('O098', '外面(公司|机构)?的(理财|产品|私募|信托|基金|保险)', 'off_book', 'high', 'regex', 'O078', '推介行外产品。')
add('O099', '(借|用|挂)(我们|咱们|我)?行的名义', 'off_book', 'high', 'regex', 'O078', '以本行名义销售行外产品。')
add('O100', '(当|就当|当成|包装成|算)(是)?(我们|咱们|我)行(自己)?的(产品|理财)', 'off_book', 'high', 'regex', 'O078', '把行外产品说成本行产品。')
upd('O078', '(风险测评|风险评估|风评|测评|问卷|评估表|调查表)(我)?(已经)?(都)?(帮|替|给)(你|您)(做|填|答|弄|勾|选|代做)')
add('O101', '(填|勾选|勾|选|改|测)(了|成|为)?(c[3-5]|进取|积极|激进|成长)型?', 'off_book', 'high', 'regex', 'O078', '替客户选择风险测评结果以规避适当性管理。')
add('O102', '(答案|选项)(我来选|我帮您选|我帮你选|都选)', 'off_book', 'high', 'regex', 'O078', '指定风险测评答案。')
add('O103', '都选最后一个', 'off_book', 'high', 'literal', 'O078', '指定风险测评答案。')
add('O104', '现金(直接)?(给|交给)我', 'off_book', 'high', 'regex', 'O078', '费用以现金交给员工、不入账。')
add('O105', '(发票(就)?不开|不开发票)', 'off_book', 'medium', 'regex', 'O078', '收费不开票、不入账。')
add('O106', '(打|转|付)(给|到)(我们)?(的)?(合作|合作方|合作公司)(的)?(账户|公司)', 'off_book', 'high', 'regex', 'O078', '款项付给"合作公司"而非本行。')
# gift
upd('R015', '(返|退|补|贴)(你|您)?[\\d一二两三四五六七八九十几]+(\\.\\d+)?(%|个点|点)')
upd('R016', '(发|包|给|送)(你|您)?(个|一个|了个|了一个)?(\\d+(元|块)?的)?(小|大)?红包')
add('R055', '额外(给您|给你)?(返|送|补|贴)', 'gift', 'high', 'regex', 'R015', '"额外给您返一千块现金"。')
add('R056', '(买|认购|投保|转存|存)(了)?(这款|这个|我们|咱们)?.{0,10}(我)?(送|给)(您|你)(一台|一套|一份|一箱|两箱|两瓶|一瓶|一些)', 'gift', 'high', 'regex', 'R015', '以购买为条件赠送实物。')
add('R057', '(自己掏钱|自己掏腰包|个人的心意|个人心意)', 'gift', 'medium', 'regex', 'R015', '员工以个人名义给予客户利益。')
# complaint
add('C076', '(打|拨打|报)110', 'complaint', 'high', 'regex', 'C034', '客户称要报警。', side='customer')
add('C077', '报案', 'complaint', 'high', 'literal', 'C034', '客户称要报案。', side='customer')
# pii
for i in ('P001',):
    by[i]['term'] = by[i]['term'].replace(')(发|报|告诉|给|拍|传|私信|截图)', ')(也|都|先|就|再|一起|直接|全)?(发|报|告诉|给|拍|传|私信|截图)', 1)
add('P033', '短信(里|上)?(的|那|收到的)?.{0,4}(数字|验证码|码)(发|报|告诉|给)(我|过来|一下)', 'pii', 'high', 'regex', 'P001', '索要短信验证码（"把短信里那6位数字发我"）。')
add('R058', '(给|送)(您|你)(送)?(两|一|几)(箱|瓶|盒|条|台|套)', 'gift', 'medium', 'regex', 'R015', '员工向客户赠送烟酒、水果等实物。')
add('R059', '(给|送)(您|你)的(礼物|礼品|心意)', 'gift', 'medium', 'regex', 'R015', '员工向客户赠送礼品。')
# false alarms of the development half: the longer phrase around the hit says what it is
by['G009'].setdefault('exclusions', []).extend(['看重本金安全', '注重本金安全', '在意本金安全', '关心本金安全', '追求本金安全', '本金安全的前提'])
by['O001'].setdefault('exclusions', []).extend(['可能是飞单', '就是飞单', '属于飞单', '飞单案例', '警惕飞单', '防范飞单', '谨防飞单', '飞单风险'])
for i in ('C010', 'C011'):
    by[i].setdefault('exclusions', []).extend(['监管局上班', '监管局工作', '在金融监管局', '在监管局'])
d['version'] = d.get('version', 1)
sys.path.insert(0, "scripts/dict"); from dump import dump; dump(d, p)
print(len(E), 'entries')
