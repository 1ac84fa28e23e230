package embed

import "testing"

// chunks are about 60 words each, like the chunks of a CSM's answers.
var chunks = []string{
	"At Northwind the renewal is signed by Marco Rossi, their CFO, but nothing moves without Priya in operations, who is our real champion. She prefers Slack over email, answers within the hour, and hates long decks. Marco cares about price: last year he pushed for a 12% discount and got 8%. Expect the same conversation in March, two months before the contract expires.",
	"Globex has been unhappy since the outage in October. Their ops lead logged four escalations in six weeks and mentioned twice that they are evaluating a competitor. The root cause was our export job timing out on large tables; engineering shipped a fix, but confidence is low. I promised a weekly status email until the end of the quarter and a call with our VP.",
	"My renewal tracker is a Google Sheet called Renewals 2025 in the shared CS drive, one tab per quarter. Each row has the account, ARR, renewal date, risk level and next step. I also keep call notes in Notion, one page per account, linked from the sheet. Nobody else updates it, so please check the dates against Salesforce before trusting them.",
	"Initech runs a nightly script I wrote that exports usage to CSV and uploads it to their data warehouse, because the native integration breaks on custom fields. It lives in our team's GitHub repo under scripts/initech. If it fails, their admin Bill emails support, and the fix is usually rerunning the cron job. Their SSO migration to Okta is planned for Q3.",
}

// BenchmarkOfflineEmbed is the hot path alone: one chunk into a reused vector.
func BenchmarkOfflineEmbed(b *testing.B) {
	o := NewOffline()
	dst := make([]float32, offlineDims)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		s := o.get()
		s.embed(chunks[i%len(chunks)], dst)
		o.pool.Put(s)
		i++
	}
	b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "chunks/s")
}

// BenchmarkOfflineEmbedBatch is the public path, a batch of 64 chunks with its allocations.
func BenchmarkOfflineEmbedBatch(b *testing.B) {
	batch := make([]string, 64)
	for i := range batch {
		batch[i] = chunks[i%len(chunks)]
	}
	o := NewOffline()
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		if _, err := o.Embed(b.Context(), batch); err != nil {
			b.Fatal(err)
		}
		n += len(batch)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "chunks/s")
}
