#!/usr/bin/env python3
"""Deterministic generator of realistic mixed web and application logs.

    python3 Corpus/make-logs.py --size 512MiB --seed 1 > big.log

Interleaves nginx "combined" access lines, application lines with levels, request ids and
key=value fields, occasional multi-line Java-style stack traces and JSON audit events, the mix and
skew real services show (most requests 200, a long tail of paths and user agents, bursts of
errors). Same seed and size give the same bytes on every machine. Streams to stdout; memory use
does not depend on --size.
"""
import argparse
import random
import sys

PATHS = ["/", "/index.html", "/login", "/logout", "/api/v1/users", "/api/v1/users/{id}", "/api/v1/orders",
         "/api/v1/orders/{id}", "/api/v1/orders/{id}/items", "/api/v2/search?q={word}", "/static/app.{hex}.js",
         "/static/style.{hex}.css", "/images/{id}.png", "/health", "/metrics", "/favicon.ico",
         "/wp-login.php", "/.env", "/cart", "/checkout", "/api/v1/payments/{id}/capture"]
METHODS = ["GET"] * 14 + ["POST"] * 4 + ["PUT", "DELETE", "HEAD", "OPTIONS"]
STATUS = [200] * 40 + [201, 204, 206] + [301, 302, 304] * 3 + [400, 401, 403, 404, 404, 404, 429, 499] + [500, 502, 503, 504]
AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
    "curl/8.5.0", "python-requests/2.32.3", "Go-http-client/2.0", "kube-probe/1.31",
    "Googlebot/2.1 (+http://www.google.com/bot.html)", "Prometheus/2.54.1",
]
WORDS = ["invoice", "shoes", "laptop", "refund", "gift", "coffee", "order", "status", "shipping", "account",
         "password", "reset", "discount", "winter", "sale", "blue", "table", "lamp", "book", "phone"]
SERVICES = ["api", "auth", "billing", "search", "worker", "gateway"]
LEVELS = ["INFO"] * 30 + ["DEBUG"] * 12 + ["WARN"] * 4 + ["ERROR"] * 2
APP_EVENTS = [
    "request completed method={method} path={path} status={status} duration_ms={ms}",
    "cache {hitmiss} key=user:{id} ttl={ttl}s",
    "db query table={table} rows={rows} duration_ms={ms}",
    "job finished queue={queue} job_id={hex} attempts={attempt}",
    "token refreshed user_id={id} expires_in=3600",
    "payment authorised order_id={id} amount={amount} currency=EUR",
    "rate limit exceeded client={ip} limit=100/min",
    "connection pool stats active={rows} idle={attempt} waiting=0",
    "upstream timeout host=10.0.{a}.{b}:8080 after {ms}ms",
]
TABLES = ["users", "orders", "order_items", "payments", "sessions", "products", "audit_log"]
QUEUES = ["email", "thumbnails", "exports", "webhooks", "reindex"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def parse_size(text):
    """4096, 64KiB, 16M, 1GiB (binary multiples)."""
    t = text.strip().lower()
    for suffix, mult in (("gib", 1 << 30), ("mib", 1 << 20), ("kib", 1 << 10), ("g", 1 << 30), ("m", 1 << 20), ("k", 1 << 10), ("b", 1)):
        if t.endswith(suffix):
            return int(t[: -len(suffix)]) * mult
    return int(t)


class Log:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.t = 1795000000  # late 2026, seconds
        self.ips = ["%d.%d.%d.%d" % (self.r.randint(1, 223), self.r.randint(0, 255), self.r.randint(0, 255), self.r.randint(1, 254))
                    for _ in range(5000)]

    def fill(self, template):
        r = self.r
        return (template.replace("{id}", str(r.randint(1, 99999)))
                .replace("{hex}", "%08x" % r.getrandbits(32))
                .replace("{word}", r.choice(WORDS)))

    def stamp_clf(self):
        s = self.t
        day, rem = divmod(s, 86400)
        h, rem = divmod(rem, 3600)
        m, sec = divmod(rem, 60)
        return "%02d/%s/2026:%02d:%02d:%02d +0000" % (1 + day % 28, MONTHS[(day // 28) % 12], h, m, sec)

    def stamp_iso(self, ms):
        s = self.t
        day, rem = divmod(s, 86400)
        h, rem = divmod(rem, 3600)
        m, sec = divmod(rem, 60)
        return "2026-%02d-%02dT%02d:%02d:%02d.%03dZ" % (1 + (day // 28) % 12, 1 + day % 28, h, m, sec, ms)

    def access(self):
        r = self.r
        ip = self.ips[int(r.paretovariate(1.2)) % len(self.ips)]
        path = self.fill(r.choice(PATHS))
        status = r.choice(STATUS)
        size = 0 if status in (204, 304) else int(r.lognormvariate(7.5, 1.4))
        ref = "-" if r.random() < 0.6 else "https://shop.example.com" + self.fill(r.choice(PATHS))
        return '%s - - [%s] "%s %s HTTP/1.1" %d %d "%s" "%s" rt=%.3f\n' % (
            ip, self.stamp_clf(), r.choice(METHODS), path, status, size, ref, r.choice(AGENTS), r.expovariate(20))

    def app(self):
        r = self.r
        level = r.choice(LEVELS)
        event = r.choice(APP_EVENTS)
        text = (event.replace("{method}", r.choice(METHODS)).replace("{path}", self.fill(r.choice(PATHS)))
                .replace("{status}", str(r.choice(STATUS))).replace("{ms}", str(int(r.expovariate(0.02))))
                .replace("{hitmiss}", "hit" if r.random() < 0.8 else "miss").replace("{ttl}", str(r.choice([60, 300, 3600])))
                .replace("{table}", r.choice(TABLES)).replace("{rows}", str(r.randint(0, 500)))
                .replace("{queue}", r.choice(QUEUES)).replace("{attempt}", str(r.randint(1, 5)))
                .replace("{amount}", "%.2f" % r.uniform(3, 900)).replace("{ip}", r.choice(self.ips))
                .replace("{a}", str(r.randint(0, 9))).replace("{b}", str(r.randint(2, 60))))
        text = self.fill(text)
        line = "%s %-5s [%s] req=%016x %s\n" % (self.stamp_iso(r.randint(0, 999)), level, r.choice(SERVICES), r.getrandbits(64), text)
        if level == "ERROR" and r.random() < 0.5:
            line += "java.lang.IllegalStateException: %s failed for id %d\n" % (r.choice(WORDS), r.randint(1, 99999))
            for depth in range(r.randint(3, 9)):
                line += "\tat com.example.%s.%sService.handle(%sService.java:%d)\n" % (
                    r.choice(SERVICES), r.choice(WORDS).capitalize(), r.choice(WORDS).capitalize(), r.randint(20, 900))
        return line

    def audit(self):
        r = self.r
        return '{"ts":"%s","type":"audit","actor":"user-%d","action":"%s","target":"%s","ip":"%s","ok":%s}\n' % (
            self.stamp_iso(r.randint(0, 999)), r.randint(1, 5000), r.choice(["login", "logout", "update", "delete", "export"]),
            self.fill(r.choice(PATHS)), r.choice(self.ips), "true" if r.random() < 0.93 else "false")

    def line(self):
        self.t += int(self.r.random() < 0.3)
        x = self.r.random()
        if x < 0.55:
            return self.access()
        if x < 0.97:
            return self.app()
        return self.audit()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", default="16MiB", help="bytes to write, e.g. 4MiB, 512MiB, 1GiB (stops at the line before)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    target = parse_size(args.size)
    log = Log(args.seed)
    out = sys.stdout.buffer
    written = 0
    batch = []
    batch_bytes = 0
    while True:
        data = log.line().encode()
        if written + batch_bytes + len(data) > target:
            break
        batch.append(data)
        batch_bytes += len(data)
        if batch_bytes >= 1 << 20:
            out.write(b"".join(batch))
            written += batch_bytes
            batch, batch_bytes = [], 0
    out.write(b"".join(batch))


if __name__ == "__main__":
    main()
