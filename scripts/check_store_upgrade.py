"""Check that a store written by an older Reef survives the upgrade to this one (docs/data-model.md, "Upgrading").

    .venv/bin/python scripts/check_store_upgrade.py REV [REV ...] [--work /tmp/reef-upgrade] [--members 300] [--days 120]

For each old revision REV (any git revision of this repository) the script adds a throwaway worktree of it under
``--work`` (removed afterwards), and with that OLD code (this interpreter, ``PYTHONPATH`` at the worktree, run from its
root): simulates a small community into a store file, analyzes it, sends the alerts to a local group robot, adds three
users and an API token, records operator actions (recognise and respond done, a note, a task done, a task cancelled, a
withdrawn action and a ``dismiss_alert`` where that Reef has them), lists the alerts (recorded as shown on the console
where that Reef keeps delivery state) and imports two broken CSV files (quarantined rows; the first import's dismissed
where ``reef quarantine-clear`` exists). It snapshots what the old Reef shows (status, actions, users, quarantine,
alerts, audit log).

Then this Reef opens a copy of the store: ``reef status``, ``reef alerts --new`` to the robot and on the console
before and after ``reef analyze`` (nothing the old Reef sent, or no longer listed as new, may be new again), text
features re-enriched, ``reef action list``, ``reef user list``, ``reef quarantine``, a dashboard login and the old API
token through the server's test client, a new action, ``reef export`` (xlsx and csv), compared with the snapshot. Last,
the OLD code opens the upgraded store again: when it lacks one of its migrations it must refuse it with the "newer Reef
/ upgrade" error, never a traceback (a release before the read-only check, ``refuse_newer``, reads it read-only: printed
as a note), and this Reef must refuse a copy recording a future migration with every command.

Prints one line per check (ok / FAIL / note) and exits 1 when any failed. Not part of the test suite: it checks out
history and runs several Reefs (about three minutes per revision).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PW = "upgrade-check-pw-1"
_COMMON = ("action_id", "kind", "member_id", "status", "note", "created_at", "operator")
_LOGIN = """
import sys
from fastapi.testclient import TestClient
from reef.server import create_app
app = create_app(sys.argv[1])
with TestClient(app) as c:
    r = c.post("/api/v1/login", json={"username": "boss", "password": sys.argv[2]})
    me = c.get("/api/v1/me")
    acts = c.get("/api/v1/actions?per_page=500")
    print(r.status_code, me.status_code, me.json().get("username"), acts.status_code, acts.json().get("total"))
with TestClient(app) as c:  # the API token the old Reef issued
    me = c.get("/api/v1/me", headers={"Authorization": "Bearer " + sys.argv[3]})
    print(me.status_code, me.json().get("username"))
app.state.jobs.shutdown()
"""


def run(code: Path, *args: str, ok=(0,)) -> tuple[int, str, str]:
    """``python -m reef ARGS`` (or ``python -c`` when args[0] == '-c') with the Reef at ``code``."""
    env = {**os.environ, "PYTHONPATH": str(code), "REEF_PW": PW, "NO_COLOR": "1", "COLUMNS": "200"}
    cmd = [sys.executable, *args] if args[0] == "-c" else [sys.executable, "-m", "reef", *args]
    p = subprocess.run(cmd, cwd=code, env=env, capture_output=True, text=True, timeout=900)
    if p.returncode not in ok:
        raise RuntimeError(f"{' '.join(args[:3])} exited {p.returncode}: {p.stderr[-2000:]}")
    return p.returncode, p.stdout, p.stderr


def js(code: Path, *args: str, ok=(0,)):
    return json.loads(run(code, *args, "--json", ok=ok)[1])


def sql(db: Path, query: str) -> list:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(query).fetchall()
    finally:
        con.close()


def robot() -> str:
    """A local group robot that accepts every message (as WeCom answers): its webhook URL."""
    import http.server
    import threading

    class Robot(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body = b'{"errcode": 0, "errmsg": "ok"}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Robot)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}/cgi-bin/webhook/send?key=upgrade-check"


def write_old(old: Path, db: Path, work: Path) -> dict:
    """Build the store with the old Reef; returns what it shows afterwards."""
    d = ["--db", str(db)]
    run(old, "simulate", *d, "--members", str(ARGS.members), "--days", str(ARGS.days), "--seed", "7")
    run(old, "analyze", *d)
    sent = js(old, "alerts", "--webhook", URL, "--platform", "wecom", *d, ok=(0, 10))  # the robot gets the radar's alerts
    for name, role in (("boss", "admin"), ("op", "operator"), ("view", "viewer")):
        run(old, "user", "add", name, "--role", role, "--password-env", "REEF_PW", *d)
    token = js(old, "user", "token", "boss", *d)["token"]
    m = [r[0] for r in sql(db, "SELECT member_id FROM members WHERE account_type = 'member' ORDER BY member_id LIMIT 6")]
    add_help = run(old, "action", "add", "--help")[1]
    ids = {}

    def add(key, member, *opts):
        ids[key] = js(old, "action", "add", member, *opts, "--by", "alice", *d)["action_id"]

    add("recognise", m[0], "--kind", "recognise", "--text", "感谢分享，已置顶", "--status", "done")
    add("respond", m[1], "--kind", "respond", "--note", "已私信回复投诉", "--status", "done")
    add("note", m[2], "--kind", "note", "--note", "老车主，熟悉保养")
    add("task_done", m[3], "--kind", "assign_task", "--brief", "写一篇冬季续航帖", "--due", "2026-07-31")
    add("task_cancelled", m[4], "--kind", "assign_task", "--brief", "拍一组提车照", "--due", "2026-08-15")
    if "dismiss_alert" in add_help:
        add("dismiss_alert", m[5], "--kind", "dismiss_alert", "--note", "误报")
    run(old, "action", "done", ids["task_done"], "--by", "alice", *d)
    verbs = run(old, "action", "--help")[1]
    if "withdraw" in verbs:  # a done action recorded by mistake
        add("withdrawn", m[5], "--kind", "note", "--note", "记错了人", "--status", "done")
        run(old, "action", "withdraw", ids["withdrawn"], "--reason", "记录错了会员", "--by", "alice", *d)
    if "cancel" in verbs:
        run(old, "action", "cancel", ids["task_cancelled"], "--by", "alice", *d)
    else:  # the oldest Reefs cancel only through the library (the dashboard's button)
        run(old, "-c", "import sys; from reef.store import open_store; from reef.actions.log import update_action; "
                       "update_action(open_store(sys.argv[1]), sys.argv[2], status='cancelled', by='alice')", str(db), ids["task_cancelled"])
    shown = js(old, "alerts", *d)  # lists them; where the Reef keeps console state, records them as shown
    again = js(old, "alerts", "--new", *d)
    for i, bad in enumerate(("m9001,2026-01-02,好人\n,2026-01-03,缺ID\n", "m9002,not-a-date,坏日期\nm9003,2026-01-04,多,余\n")):
        (work / f"members_{i}.csv").write_text("member_id,joined_at,nickname\n" + bad, encoding="utf-8")
        run(old, "import", str(work / f"members_{i}.csv"), *d, ok=(0, 9, 10))  # 9/10: rows quarantined
    if "quarantine-clear" in run(old, "--help")[1]:
        first = min(r[0] for r in sql(db, "SELECT import_id FROM quarantine"))
        run(old, "quarantine-clear", "--import", str(first), *d)
    return {"ids": ids, "token": token, "members": m, "shown": shown, "new_again": again, "sent": sent, **snapshot(old, db)}


def snapshot(code: Path, db: Path) -> dict:
    d = ["--db", str(db)]
    return {"status": js(code, "status", *d), "actions": js(code, "action", "list", "--per-page", "500", *d)["items"],
            "users": js(code, "user", "list", *d), "quarantine": js(code, "quarantine", "--limit", "1000", *d),
            "audit": sql(db, "SELECT audit_id, username, action, target FROM audit_log ORDER BY audit_id"),
            "dismissed": sql(db, "SELECT import_id, line, entity, field FROM quarantine_dismissed ORDER BY ALL")
            if sql(db, "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'quarantine_dismissed'")[0][0] else []}


def keys(alerts: dict) -> set:
    return {(a["alert_key"], a["severity"]) for a in alerts["alerts"]}


def check_new(old: Path, db: Path, work: Path, before: dict, checks: list) -> None:
    """Open a copy of the old store with this Reef and compare what it shows."""
    def check(name, ok, detail=""):
        checks.append((name, bool(ok), detail))

    d = ["--db", str(db)]
    rc, out, err = run(ROOT, "status", *d, "--json", ok=(0, 1, 2, 3, 4, 5))
    check("status opens the old store", rc == 0 and "Traceback" not in err, err[-300:])
    if rc:
        return
    sent = keys(before["sent"]) if (before["sent"].get("delivery") or {}).get("sent") else set()
    again = js(ROOT, "alerts", "--new", "--webhook", URL, "--platform", "wecom", *d, ok=(0, 10))
    resent = sorted(keys(again) & sent)
    check("alerts the old Reef sent to a robot are not sent again", not resent,
          f"{len(resent)} of {len(sent)} sent again, e.g. {resent[:3]}")
    # what the old Reef's `reef alerts --new` no longer listed: shown (or, before console state, raised by an earlier run)
    shown = keys(before["shown"]) - keys(before["new_again"])
    new_first = js(ROOT, "alerts", "--new", *d)
    check("alerts the old Reef no longer listed as new are not new again (before analyze)", not (keys(new_first) & shown),
          f"new again: {sorted(keys(new_first) & shown)[:5]}")
    run(ROOT, "analyze", *d)
    rerun = js(ROOT, "alerts", "--new", *d)
    check("no alert is new twice (after analyze)", not (keys(rerun) & keys(new_first)), str(sorted(keys(rerun) & keys(new_first))[:5]))
    check("alerts the old Reef no longer listed as new are not new again (after analyze)", not (keys(rerun) & shown), str(sorted(keys(rerun) & shown)[:5]))
    version = run(ROOT, "-c", "import sys; from reef.store import open_store; from reef.text.enrich import features_version; "
                              "print(features_version(open_store(sys.argv[1], read_only=True).config))", str(db))[1].strip()
    stale = sql(db, f"SELECT count(*) FROM content_features WHERE model_version <> '{version}'")[0][0]
    check("text features re-enriched to this Reef's version", stale == 0, f"{stale} rows of another version")
    after = snapshot(ROOT, db)
    old_actions = {a["action_id"]: a for a in before["actions"]}
    new_actions = {a["action_id"]: a for a in after["actions"]}
    check("every action is still listed", set(old_actions) <= set(new_actions), str(sorted(set(old_actions) - set(new_actions))[:5]))
    diff = [(i, k, old_actions[i].get(k), new_actions[i].get(k)) for i in old_actions.keys() & new_actions.keys()
            for k in _COMMON if k in old_actions[i] and old_actions[i].get(k) != new_actions[i].get(k)]
    check("actions read the same", not diff, str(diff[:5]))
    for key, want in (("task_cancelled", "cancelled"), ("task_done", "done"), ("withdrawn", "cancelled")):
        if key in before["ids"]:
            check(f"the {key} action is {want}", new_actions.get(before["ids"][key], {}).get("status") == want)
    pick = lambda us: sorted((u["username"], u["role"], u["has_password"], u.get("disabled")) for u in us)  # noqa: E731
    check("users read the same", pick(before["users"]) == pick(after["users"]), f"{pick(before['users'])} / {pick(after['users'])}")
    qk = lambda qs: sorted((q["import_id"], q["line"], q["entity"], q["field"]) for q in qs)  # noqa: E731
    check("quarantine reads the same", qk(before["quarantine"]) == qk(after["quarantine"]),
          f"{qk(before['quarantine'])} / {qk(after['quarantine'])}")
    check("dismissed quarantine rows are kept", before["dismissed"] == after["dismissed"], str(after["dismissed"][:3]))
    check("the audit log is kept", before["audit"] == after["audit"][:len(before["audit"])])
    rc, out, err = run(ROOT, "-c", _LOGIN, str(db), PW, before["token"], ok=(0, 1))
    words = out.split()
    check("dashboard login and actions", rc == 0 and words[:4] == ["200", "200", "boss", "200"]
          and words[4:5] == [str(len(after["actions"]))], (out + err)[-300:])
    check("the old API token still works", words[5:7] == ["200", "boss"], (out + err)[-300:])
    added = js(ROOT, "action", "add", before["members"][0], "--kind", "note", "--note", "升级后记录", *d)["action_id"]
    check("a new action gets a new id", added not in old_actions, added)
    for out_path in (work / "export.xlsx", work / "export-csv"):
        rc, _, err = run(ROOT, "export", "--out", str(out_path), "--raw-headers", *d, ok=(0, 1, 2))
        check(f"export {out_path.name}", rc == 0 and out_path.exists(), err[-300:])
    import csv

    sheet = work / "export-csv" / "operator_actions.csv"
    rows = {r["action_id"]: r for r in csv.DictReader(sheet.open(encoding="utf-8-sig"))} if sheet.exists() else {}
    check("the exported operator actions hold every action with its status",
          all(rows.get(i, {}).get("status") == a["status"] for i, a in old_actions.items()),
          str([i for i, a in old_actions.items() if rows.get(i, {}).get("status") != a["status"]][:5]))


def check_refusals(old: Path, db: Path, work: Path, checks: list) -> None:
    """A store that records a migration a Reef does not know is refused by it with the 'newer Reef, upgrade' error,
    never a traceback nor a silent read: the old Reef on the upgraded store (its writable commands; its read-only
    ones too once it has the read-only check, ``refuse_newer``), and this Reef on a copy recording a future migration."""
    known = set(run(old, "-c", "from reef.store.migrations import MIGRATIONS; print(' '.join(m.name for m in MIGRATIONS))")[1].split())
    checked_read_only = "def refuse_newer" in (old / "reef" / "store" / "migrations.py").read_text(encoding="utf-8")
    newer = sorted({r[0] for r in sql(db, "SELECT name FROM _reef_migrations")} - known)
    future = work / "future.duckdb"
    shutil.copy(db, future)
    import duckdb

    con = duckdb.connect(str(future))
    con.execute("INSERT INTO _reef_migrations VALUES ('9999_from_the_future', now(), '99.0')")
    con.close()
    commands = (("status",), ("action", "list"), ("quarantine",), ("alerts",), ("status", "--json"))
    for code, path, unknown, who in ((old, db, newer, "old"), (ROOT, future, ["9999_from_the_future"], "this")):
        for args in commands:
            rc, out, err = run(code, *args, "--db", str(path), ok=tuple(range(256)))
            said, writes = out + err, args[0] == "alerts"
            refused = rc != 0 and "Traceback" not in err and any(w in said for w in ("newer Reef", "升级", "upgrade"))
            if not unknown:
                name, ok = f"{who} Reef's `reef {' '.join(args)}` reads the store (no migration it does not know)", rc == 0
            elif writes or who == "this" or checked_read_only:
                name, ok = f"{who} Reef's `reef {' '.join(args)}` refuses a store with migrations {', '.join(unknown)}", refused
            else:  # a release before the read-only check: noted, it cannot be changed now
                name = f"{who} Reef's read-only `reef {' '.join(args)}` %s a store with migrations {', '.join(unknown)}"
                name, ok = (name % "refuses", True) if refused else (name % "reads" + " (a release before the read-only check)", None)
            checks.append((name, None if ok is None else ok and "Traceback" not in err, f"rc={rc} {said.strip()[-300:]}"))


def one(rev: str) -> bool:
    work = Path(ARGS.work) / rev.replace("/", "_")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    old = work / "code"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(old), rev], check=True, capture_output=True)
    checks: list = []
    try:
        db = work / "old.duckdb"
        before = write_old(old, db, work)
        up = work / "upgraded.duckdb"
        shutil.copy(db, up)
        check_new(old, up, work, before, checks)
        check_refusals(old, up, work, checks)
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old)], capture_output=True)
    print(f"== {rev}")
    for name, ok, detail in checks:  # ok None: a note on the old release, which cannot be changed now
        print(f"  {'note' if ok is None else 'ok  ' if ok else 'FAIL'} {name}" + ("" if ok is not False or not detail else f": {detail}"))
    return all(ok is not False for _, ok, _ in checks)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("revs", nargs="+")
    ap.add_argument("--work", default="/tmp/reef-upgrade")
    ap.add_argument("--members", type=int, default=300)
    ap.add_argument("--days", type=int, default=120)
    ARGS = ap.parse_args()
    URL = robot()
    sys.exit(0 if all([one(r) for r in ARGS.revs]) else 1)
