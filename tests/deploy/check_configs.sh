#!/usr/bin/env bash
# Checks the deployment files of docs/deploy/ with the tools that read them (issue 13):
#   check_configs.sh haproxy|nginx|systemd DEPLOY_DIR [TANDEM_BIN]
# haproxy -c and nginx -t parse the files with a throwaway certificate in place of the real
# one; systemd-analyze verify checks the unit, and the unit's ExecStart is started for real
# (on port 0, in a temporary data folder) to show the binary takes its flags.
# Exit 77 (ctest: skipped) when the tool is not installed.
set -euo pipefail
tool="$1"
deploy="$(cd "$2" && pwd)"
bin="${3:-}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

cert() {
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=tandem.test \
    -keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>/dev/null
}

case "$tool" in
  haproxy)
    command -v haproxy >/dev/null || { echo "SKIP: haproxy is not installed"; exit 77; }
    cert
    cat "$tmp/cert.pem" "$tmp/key.pem" >"$tmp/tandem.pem"
    sed "s|/etc/haproxy/certs/tandem.pem|$tmp/tandem.pem|" "$deploy/haproxy.cfg" >"$tmp/haproxy.cfg"
    haproxy -c -f "$tmp/haproxy.cfg"
    ;;
  nginx)
    command -v nginx >/dev/null || { echo "SKIP: nginx is not installed"; exit 77; }
    cert
    sed -e "s|/etc/ssl/tandem/fullchain.pem|$tmp/cert.pem|" -e "s|/etc/ssl/tandem/privkey.pem|$tmp/key.pem|" \
      "$deploy/nginx.conf" >"$tmp/tandem.conf"
    cat >"$tmp/nginx.conf" <<CONF
pid $tmp/nginx.pid;
error_log stderr;
events {}
http {
    access_log off;
    client_body_temp_path $tmp/body;
    proxy_temp_path $tmp/proxy;
    include $tmp/tandem.conf;
}
CONF
    nginx -t -e stderr -p "$tmp" -c "$tmp/nginx.conf"
    ;;
  systemd)
    command -v systemd-analyze >/dev/null || { echo "SKIP: systemd-analyze is not installed"; exit 77; }
    [ -x "$bin" ] || { echo "no tandem binary given"; exit 2; }
    # The unit as installed, with the binary where the unit expects it.
    sed "s|/usr/local/bin/tandem|$bin|" "$deploy/tandem.service" >"$tmp/tandem.service"
    out="$(systemd-analyze verify "$tmp/tandem.service" 2>&1)" || { echo "$out"; exit 1; }
    # Anything systemd says about the unit is a finding (unknown keys, bad values).
    if echo "$out" | grep -v -e '^$' | grep -q 'tandem.service'; then echo "$out"; exit 1; fi
    # ExecStart's own flags, started for real on port 0 with a temporary data folder.
    exec_line="$(sed -n 's/^ExecStart=//p' "$tmp/tandem.service")"
    args="$(echo "$exec_line" | sed -e 's|--port 8080|--port 0|' -e "s|/var/lib/tandem|$tmp/data|" \
      -e "s|/usr/local/share/tandem/web|$tmp/web|")"
    mkdir -p "$tmp/web"
    echo '<!doctype html><title>t</title>' >"$tmp/web/index.html"
    # shellcheck disable=SC2086
    $args >"$tmp/out.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 100); do
      grep -q 'Tandem is running' "$tmp/out.log" && break
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if ! grep -q 'Tandem is running' "$tmp/out.log"; then
      kill "$pid" 2>/dev/null || true
      echo "the unit's ExecStart did not start the server:"; cat "$tmp/out.log"; exit 1
    fi
    kill -TERM "$pid"
    wait "$pid"
    echo "systemd-analyze verify: clean; ExecStart started and stopped on SIGTERM"
    ;;
  *) echo "usage: check_configs.sh haproxy|nginx|systemd DEPLOY_DIR [TANDEM_BIN]" >&2; exit 2 ;;
esac
