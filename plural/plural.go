// Package plural writes a count with its noun in the right number: "1 account", "3 accounts", "0 items".
// The caller gives both forms, since English plurals are not all made by adding an s ("1 person", "2
// people") and "account(s)" reads as if the software could not count.
package plural

import "strconv"

// Count writes n and the noun that fits it: Count(1, "account", "accounts") is "1 account".
func Count(n int, one, many string) string {
	return strconv.Itoa(n) + " " + Noun(n, one, many)
}

// Noun is the form of a noun that fits n, for sentences where the number stands apart from its noun.
func Noun(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
