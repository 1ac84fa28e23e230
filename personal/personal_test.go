package personal

import "testing"

func TestRemarks(t *testing.T) {
	t.Parallel()
	personal := []string{
		"Honestly I'm leaving because my manager never listens.",
		"The reason I'm leaving is the pay.",
		"My boss micromanages everything.",
		"This company never valued the CS team.",
		"Management doesn't care about customers.",
		"I'm completely burnt out.",
		"I got a better offer elsewhere.",
		"I'm fed up with the politics.",
		"I hate working here.",
	}
	for _, s := range personal {
		if !Found(s) {
			t.Errorf("not found: %q", s)
		}
	}
	operational := []string{
		"Northwind is leaving for Zendesk because reporting is slow.",
		"Their new CFO, Marco, is sceptical about cost.",
		"Priya is the champion; her manager is the VP of support.",
		"They are frustrated with the reporting module.",
		"The company renews every March.",
		"Erik has a new role in procurement.",
		"I'm handing over Globex to Sam.",
		"Management at Stark signs off every renewal.",
	}
	for _, s := range operational {
		if Found(s) {
			t.Errorf("operational text taken for personal: %q", s)
		}
	}
}

func TestRemoveAndMark(t *testing.T) {
	t.Parallel()
	in := "Marco signs the renewal. Honestly I'm leaving because my manager never listens. My boss micromanages. Priya is the champion."
	out, n := Remove(in)
	if n != 2 || out != "Marco signs the renewal. Priya is the champion." {
		t.Fatalf("Remove = %q, %d", out, n)
	}
	if got := Mark(in); got != "Marco signs the renewal. "+Marker+" Priya is the champion." {
		t.Fatalf("Mark = %q", got)
	}
	if got, n := Remove("Nothing personal here."); got != "Nothing personal here." || n != 0 {
		t.Fatalf("Remove of plain text = %q, %d", got, n)
	}
}
