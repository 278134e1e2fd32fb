#!/usr/bin/env bash
# Calls an mwai-edge gateway's /api/webhook, signed with WEBHOOK_SECRET: HMAC-SHA256 over
# "<timestamp>.<body>", sent as X-Signature-Timestamp and X-Signature-256: sha256=<hex>.
# Usage: GATEWAY_URL=https://gateway.example WEBHOOK_SECRET=... \
#        WEBHOOK_BODY='{"message":"Hello"}' ./sign_webhook.sh
# Prints the answer, {"reply":...,"model":...,"usage":...}; on a refusal prints the error
# JSON and exits non-zero.
set -euo pipefail
ts=$(date +%s)
sig=$(printf '%s.%s' "$ts" "$WEBHOOK_BODY" | openssl dgst -sha256 -hmac "$WEBHOOK_SECRET" -r | cut -d' ' -f1)
curl -sS --fail-with-body "$GATEWAY_URL/api/webhook" \
  -H 'content-type: application/json' \
  -H "x-signature-timestamp: $ts" \
  -H "x-signature-256: sha256=$sig" \
  --data-binary "$WEBHOOK_BODY"
