#!/usr/bin/env bash
# The main job on bundled sample data, end to end through the CLI: create an encrypted store,
# import the roster and the sample exports with their media (index and scan follow), then show
# the counts, the hits, a search, a report and a signed evidence pack, verified.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
DEMO_DIR=${DEMO_DIR:-$(mktemp -d)}
export WECOM_AUDIT_PASSPHRASE=${WECOM_AUDIT_PASSPHRASE:-demo-passphrase}
DB="$DEMO_DIR/demo.db"
cli() { node bin/wecom-audit.js "$@"; }
echo "== 创建加密存储库 / create the encrypted store: $DB"
cli init --db "$DB"
echo "== 导入花名册与客户名单 / import the staff roster and contact list"
cli people import --db "$DB" resources/samples/roster/staff.csv --kind staff
cli people import --db "$DB" resources/samples/roster/contacts.csv --kind contacts
echo "== 导入样例导出（含媒体），随后建立索引并检测 / import the sample exports with media, then index and scan"
cli import --db "$DB" resources/samples/exports --media resources/samples/media || true
echo "== 统计 / counts"
cli stats --db "$DB"
echo "== 隔离区 / quarantine"
cli quarantine --db "$DB"
echo "== 高风险命中 / high-severity hits"
cli hits --db "$DB" --severity high --limit 15
echo "== 搜索「保本」/ search"
cli search --db "$DB" 保本 --limit 5
echo "== 合规报表 / compliance report"
cli report --db "$DB" --from 2026-03-01 --to 2026-03-08 --out "$DEMO_DIR/合规报表.xlsx"
HITS=$(cli hits --db "$DB" --severity high --json | node -e "const h=JSON.parse(require('fs').readFileSync(0,'utf8'));process.stdout.write(h.slice(0,3).map(x=>x.id).join(','))")
echo "== 证据包 / evidence pack for hits $HITS"
cli evidence --db "$DB" --hits "$HITS" --out "$DEMO_DIR/证据包.zip"
cli verify "$DEMO_DIR/证据包.zip"
echo "== 审计日志校验 / audit log"
cli log verify --db "$DB"
echo
echo "存储库 / store: $DB  (口令 / passphrase: \$WECOM_AUDIT_PASSPHRASE)；报表与证据包在 / outputs in $DEMO_DIR"
echo "桌面窗口 / desktop window: npm start (needs the Electron binary, see README); in a browser: npm run serve:test"
