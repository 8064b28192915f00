#!/usr/bin/env bash
# The main job on bundled sample data, end to end through the CLI: create an encrypted store,
# import the sample exports with their media, show the counts, a conversation and the quarantine.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
DEMO_DIR=${DEMO_DIR:-$(mktemp -d)}
export WECOM_AUDIT_PASSPHRASE=${WECOM_AUDIT_PASSPHRASE:-demo-passphrase}
DB="$DEMO_DIR/demo.db"
cli() { node bin/wecom-audit.js "$@"; }
echo "== 创建加密存储库 / create the encrypted store: $DB"
cli init --db "$DB"
echo "== 导入样例导出 / import the sample exports"
cli import --db "$DB" resources/samples/exports --media resources/samples/media || true
echo "== 统计 / counts"
cli stats --db "$DB"
echo "== 隔离区 / quarantine"
cli quarantine --db "$DB"
echo "== 前 20 条消息 / first 20 messages"
cli messages --db "$DB" --limit 20
echo
echo "存储库 / store: $DB  (口令 / passphrase: \$WECOM_AUDIT_PASSPHRASE)"
echo "桌面窗口 / desktop window: npm start (needs the Electron binary, see README)"
