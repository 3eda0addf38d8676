package main

// method explains how each number is taken; it ends the report.
const method = `
## How each number is taken

Everything runs in one process on the machine above: the fake Slack
(` + "`bot/slackfake`" + `, real HTTP and websockets on loopback), the real
slack-go client and the real bot, so on a small machine they share its cores.

**Ingest.** A real bot (` + "`bot.New`" + ` + ` + "`Run`" + `, two Socket Mode
connections, logging at info level to nowhere) against a fresh bbolt file.
Before measuring, 100 ` + "`/win`" + ` are sent and their wins-channel posts
awaited. Then envelopes alternate: a ` + "`/win`" + ` (the win, its dedupe mark
and its outbox post committed in one transaction, the private reply in the
ack) and a ` + "`reaction_added`" + ` by a peer on one of those posts (the
amplification and its dedupe mark). Every (post, person, emoji) is new, so
every envelope writes. The burst is built first while the fake holds it
(encoding the envelopes is Slack's work, done on Slack's machines), then
released: one goroutine writes the frames as fast as the fake's websocket
write returns. The paced run builds and sends each envelope on an open-loop
schedule at the offered rate, on the same bot right after its burst (the
sender still posting the burst's wins); it runs after each of the bursts
and the run with the median p99 is reported. Latency is the fake's: from just before the
envelope's frame is written to the moment its ack is read back, which is
what Slack's 3-second deadline measures. Acks/s is envelopes ÷ (first
write → last ack). The outbox sender runs as in production: it posts each
win, and while envelopes are queuing for the writer it paces itself to one
post per 20 ms, so its transactions do not take the writer from envelopes
whose acks are due. ` + "`-slack-latency`" + ` slows the fake's Web API to model
Slack's.

**Slack path alone.** The same burst, released the same way, to two
slack-go Socket Mode clients that ack each envelope as soon as they read
it: no handler, no store. It is what the fake Slack and slack-go's client
cost on this machine, measured in the same run, so it bounds the ingest
from above: ingest / Slack path alone is the share the bot keeps, and
Slack path alone / raw is the most any bot built on slack-go could reach
of the raw figure here.

**Raw bbolt.** The wins and reactions the burst stored are read back (their
exact keys and JSON values) and inserted into a fresh file with bbolt's
defaults (fsync on), one record per ` + "`db.Batch`" + ` call, each call from its
own goroutine, all released at once. MaxBatchSize is bbolt's default (1000)
and MaxBatchDelay 2 ms (about one fsync here): with a goroutine per record
the batches are full long before the delay matters. It is the ceiling for
the same bytes with no Slack, no JSON, no indexes and no outbox. The same
records are also inserted by 64 goroutines with MaxBatchDelay 1 ms: group
commit as a server with a fixed pool of writers gets it.
Median of five runs each.

**Digest.** Each history store holds, every week, 10,000 wins (about one peer
reaction each) and 2,000 questions (75% answered), from 2,000 people in 100
teams; bigger stores reach further back (100k records = 8 weeks, 10M = 16
years). Records are wins plus questions. The stores are generated once with
large ` + "`Update`" + ` transactions through the store API and cached in
` + "`-cache`" + `; a cached store is opened for writing once before use, which
adds any bucket created since. The digest is for the week ending Monday
23 Nov 2026 09:00 UTC: ` + "`Gather`" + ` reads that week and the four before it
(comparisons and emerging champions), ` + "`Build`" + ` and ` + "`Render`" + ` are
pure. Each step runs 7 times (3 with ` + "`-quick`" + `) after a GC, with nothing
kept between runs, so each starts with the small heap a bot has when the
digest fires; the median is reported and the first run (fresh file mapping,
pages possibly evicted from the page cache) in brackets. Allocations are
the Go heap's per run.

**Footprint.** ` + "`go build`" + ` of ` + "`cmd/flywheel`" + `, started as
` + "`flywheel run`" + ` with ` + "`FLYWHEEL_DB`" + ` a copy of the 1M-record store
(the largest at most 1M with ` + "`-max-records`" + ` or ` + "`-quick`" + `) and a
fake Slack in this process. Start-up is ` + "`exec`" + ` → first
` + "`/readyz`" + ` 200 (polled every 2 ms; median of 3 starts, and the target is
checked against the slowest). RSS is ` + "`VmRSS`" + ` when ready; peak RSS is
the kernel's high-water mark (` + "`VmHWM`" + `) after a burst of ` + "`/win`" + `
envelopes, just before the SIGTERM that stops it. (Not ` + "`ru_maxrss`" + `:
Linux carries the parent's high-water mark over fork and exec into it.)

**Outbox.** Pacing: a fresh bot gets ` + "`-pace-rate`" + `'s worth of
` + "`/win`" + ` at once (300 at Slack's 1 post a second per channel; 60 at 20/s
with ` + "`-quick`" + `), every post for the same channel. The fake Slack
answers 429 with a Retry-After, as Slack does, past that rate after a
burst one larger than the bot's own. "Drained" is from the first envelope
sent to the last post made; "the limit implies" is wins ÷ rate. The
paced bot posts at the rate (` + "`posting.per_second`" + `, a burst of
` + "`posting.burst`" + `); the unpaced one posts as fast as it can, as the
bot did before pacing, and waits out each Retry-After. Acks under load: a
fresh bot on a store of 40k wins spread over the last 30 days; for 10 s (3
with ` + "`-quick`" + `) it is offered 100 ` + "`/ask`" + ` a second on an open-loop
schedule, each answerable from the registry with social proof (the two
most recent colleagues' wins with the tool), and one ` + "`/win`" + ` for every
ten. Latency is the fake's, envelope written to ack read.

**Go benchmarks** for the hot functions, run with ` + "`go test -bench`" + `:
` + "`./bot`" + ` (BenchmarkEnvelope: a decoded event through the handler and
the group-commit writer to the ack, serial and in bursts; BenchmarkWinPost:
rendering a win's post), ` + "`./store`" + ` (AddWin with its outbox entry and
dedupe mark per transaction, group commits, the digest's range scans,
picking due outbox entries by index against decoding them all),
` + "`./bot/textparse`" + ` (reading wins), ` + "`./bot/guard`" + ` (the sensitive-data
scan, with and without its census) and ` + "`./digest`" + ` (Gather from a real
store, Build, Render).
`
