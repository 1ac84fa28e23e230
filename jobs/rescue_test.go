package jobs

import (
	"testing"
	"time"

	"github.com/riverqueue/river"
)

// TestJobTimeoutsFitTheRescueWindow: no job may run longer than the rescue window, or River would take a
// job still at work for lost and run it a second time beside it.
func TestJobTimeoutsFitTheRescueWindow(t *testing.T) {
	t.Parallel()
	for _, rescue := range []time.Duration{2 * time.Second, DefaultRescueAfter, time.Hour} {
		timeouts := map[string]time.Duration{
			"capture": (&CaptureWorker{rescue: rescue}).Timeout(&river.Job[CaptureArgs]{}),
			"report":  (&ReportWorker{rescue: rescue}).Timeout(&river.Job[ReportArgs]{}),
			"email":   (&EmailWorker{rescue: rescue}).Timeout(&river.Job[EmailArgs]{}),
			"cleanup": (&CleanupWorker{rescue: rescue}).Timeout(&river.Job[CleanupArgs]{}),
			"reembed": (&ReembedWorker{rescue: rescue}).Timeout(&river.Job[ReembedArgs]{}),
		}
		for kind, d := range timeouts {
			if d <= 0 || d > rescue {
				t.Errorf("rescue %s: %s times out after %s", rescue, kind, d)
			}
		}
		if rescue == DefaultRescueAfter && (timeouts["capture"] != time.Minute || timeouts["report"] != 3*time.Minute) {
			t.Errorf("default limits: capture %s, report %s", timeouts["capture"], timeouts["report"])
		}
	}
}
