package web

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/exitinterview/exitinterview/mcpserver"
)

// inspectorBin finds the MCP inspector's command, which scripts/testdeps.sh installs from the npm registry
// into .local (EXITINTERVIEW_MCP_INSPECTOR names another). Without it the test fails, saying how to get
// it, unless EXITINTERVIEW_SKIP_NPM_CLIENTS=1 says to skip the clients from npm.
func inspectorBin(t *testing.T) string {
	t.Helper()
	if os.Getenv("EXITINTERVIEW_SKIP_NPM_CLIENTS") == "1" {
		t.Skip("EXITINTERVIEW_SKIP_NPM_CLIENTS=1: the MCP inspector's command line (a third-party client from npm) is not run")
	}
	path := os.Getenv("EXITINTERVIEW_MCP_INSPECTOR")
	if path == "" {
		found, _ := filepath.Glob("../.local/mcp-inspector-*/node_modules/.bin/mcp-inspector")
		if len(found) > 0 {
			sort.Strings(found)
			path = found[len(found)-1]
		}
	}
	if path == "" {
		t.Fatal("the MCP inspector is not installed: run scripts/testdeps.sh (it installs it into .local from the npm registry), " +
			"or set EXITINTERVIEW_SKIP_NPM_CLIENTS=1 to skip the clients from npm")
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Fatal("node is not on PATH: scripts/testdeps.sh installs it")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// TestMCPInspectorCLI connects a third-party MCP client, the MCP inspector's command line, to the running
// server with a successor's token: it lists the five tools, and a search returns a passage of theirs.
func TestMCPInspectorCLI(t *testing.T) {
	t.Parallel()
	bin := inspectorBin(t)
	f := newMCPFixture(t)
	inspect := func(token string, args ...string) ([]byte, error) {
		ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, append([]string{"--cli", f.e.ts.URL + mcpRoute, "--transport", "http",
			"--header", "Authorization: Bearer " + token}, args...)...)
		// Its own home, so no catalog, stored login or setting of the machine's plays a part.
		home := t.TempDir()
		cmd.Env = append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+home, "NO_COLOR=1", "CI=true")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		if err != nil {
			t.Logf("mcp-inspector %s: %v\nstdout: %s\nstderr: %s", strings.Join(args, " "), err, stdout.String(), stderr.String())
		}
		return stdout.Bytes(), err
	}
	token := f.tokens["successor 1"]

	out, err := inspect(token, "--method", "tools/list")
	if err != nil {
		t.Fatal("tools/list failed")
	}
	var listed struct {
		Tools []struct {
			Name        string
			Description string
			InputSchema map[string]any
		}
	}
	if err := json.Unmarshal(out, &listed); err != nil {
		t.Fatalf("tools/list is not JSON: %v\n%s", err, out)
	}
	var names []string
	for _, tool := range listed.Tools {
		names = append(names, tool.Name)
		if tool.InputSchema["type"] != "object" || !strings.Contains(tool.Description, "untrusted") {
			t.Errorf("%s: %+v", tool.Name, tool)
		}
	}
	sort.Strings(names)
	if want := []string{"ask", "ask_csm", "get_account", "list_accounts", "search"}; !slices.Equal(names, want) {
		t.Fatalf("the inspector lists %v, want %v", names, want)
	}

	out, err = inspect(token, "--method", "tools/call", "--tool-name", "search", "--tool-arg", "query=Marco Rossi renewal")
	if err != nil {
		t.Fatal("tools/call search failed")
	}
	var called struct {
		IsError           bool
		StructuredContent mcpserver.SearchOutput
	}
	if err := json.Unmarshal(out, &called); err != nil {
		t.Fatalf("tools/call is not JSON: %v\n%s", err, out)
	}
	p := called.StructuredContent.Passages
	if called.IsError || len(p) == 0 || p[0].CapturedText != "Marco Rossi signs the renewal." || p[0].Account != "Northwind" ||
		called.StructuredContent.Notice != mcpserver.UntrustedNotice {
		t.Fatalf("search through the inspector: %s", out)
	}

	// A wrong token is refused, and the inspector says it needs authentication.
	if out, err := inspect("eit_not-a-token", "--method", "tools/list"); err == nil {
		t.Fatalf("the inspector listed tools with a wrong token: %s", out)
	}
}
