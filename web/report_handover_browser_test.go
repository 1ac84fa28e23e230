package web

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/exitinterview/exitinterview/store"
)

// TestBrowserReportHandoverSections: the report page shows an account's success plan, implementation,
// documents (with a long link), advocacy and recent history under their headings, and fits a laptop and
// a phone and passes axe.
func TestBrowserReportHandoverSections(t *testing.T) {
	t.Parallel()
	f := newReportFixture(t)
	ctx0 := context.Background()
	accounts, err := f.e.store.Accounts(ctx0, f.iv.ID)
	must(t, err)
	var northwind string
	for _, a := range accounts {
		if a.Name == "Northwind" {
			northwind = a.ID
		}
	}
	fact := func(position int, typ, text string, fields map[string]string) store.Fact {
		return store.Fact{InterviewID: f.iv.ID, AccountID: northwind, Type: typ, Text: text, Fields: fields, Extracted: fields,
			Confidence: 0.7, State: "extracted", Position: 100 + position}
	}
	must(t, f.e.store.SaveFacts(ctx0, []store.Fact{
		fact(1, "objective", "Their main objective is to cut late deliveries by 20% this year.", map[string]string{"kind": "objective",
			"what": "Their main objective is to cut late deliveries by 20% this year", "target": "20%"}),
		fact(2, "system", "Their CRM is Salesforce.", map[string]string{"kind": "integration", "name": "Salesforce", "category": "crm"}),
		fact(3, "document", "MSA and invoices are in the Finance shared drive.", map[string]string{"kind": "contract", "location": "Finance shared drive"}),
		fact(4, "document", "QBR decks: https://drive.example.com/northwind/customer-success/quarterly-business-reviews/2026/q3-final-deck-v12",
			map[string]string{"kind": "qbr_deck", "link": "https://drive.example.com/northwind/customer-success/quarterly-business-reviews/2026/q3-final-deck-v12"}),
		fact(5, "advocacy", "Priya did a reference call in June; in return we promised early access to forecasting.",
			map[string]string{"kind": "reference", "status": "done", "in_return": "early access to forecasting"}),
		fact(6, "meeting", "On 12 November we met Priya and agreed a pilot in Leeds.", map[string]string{"when": "12 November", "with": "Priya",
			"agreed": "a pilot in Leeds"}),
	}, nil))
	f.generate(t)

	ctx := browser(t)
	signIn(t, ctx, f.e.ts.URL, "owner@example.com", "correct horse battery manager")
	must(t, chromedp.Do(ctx, chromedp.Navigate(f.e.ts.URL+"/interviews/"+f.iv.ID+"/report"), chromedp.WaitVisible("#checklist-form")))
	text := run(t, ctx, chromedp.Text("main"))
	for _, s := range []string{"Success plan", "cut late deliveries", "Implementation", "Salesforce", "Documents", "Finance shared drive",
		"q3-final-deck-v12", "Kind: QBR or EBR deck", "Category: CRM", "Advocacy", "Promised in return: early access to forecasting", "Recent history", "Agreed: a pilot in Leeds",
		"Read the last QBR deck and its takeaways", "Carry over the reference commitment"} {
		if !strings.Contains(text, s) {
			t.Errorf("the report page does not say %q", s)
		}
	}
	checkLayout(t, ctx, "report-handover-sections")
	screenshots(t, ctx, "report-handover-sections", "#acc-"+northwind)
}
