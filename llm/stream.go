package llm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
)

// StreamStructured is Structured with a streamed answer: onDelta gets each piece of content as it
// arrives, in order, on the caller's goroutine, and the whole content is returned at the end.
//
// A failure before the first delta is retried like Structured. Once a delta has been delivered the
// caller has shown it, so a failure is returned as is, even an ErrInvalidOutput: the caller decides
// whether to start over. If onDelta returns an error, the stream is abandoned and that error returned
// unchanged. The attempt's Timeout covers the whole stream.
func (c *Client) StreamStructured(ctx context.Context, msgs []Message, schema Schema, onDelta func(string) error) (string, error) {
	if onDelta == nil {
		onDelta = func(string) error { return nil }
	}
	req := c.chatRequest(msgs, schema)
	var out string
	var deltaErr error
	err := c.retry(ctx, c.breaker, func(ctx context.Context) error {
		stream, err := c.api.CreateChatCompletionStream(ctx, req)
		if err != nil {
			return err
		}
		defer stream.Close()

		var content, refusal strings.Builder
		var finish string
		delivered := false
		// Once something was shown, no retry: the same answer would be shown twice.
		fail := func(err error) error {
			if err != nil && delivered {
				return finalError{err: err}
			}
			return err
		}
		for {
			chunk, err := stream.Recv()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return fail(err)
			}
			if len(chunk.Choices) == 0 {
				continue // a usage-only chunk
			}
			ch := chunk.Choices[0]
			if ch.FinishReason != "" {
				finish = string(ch.FinishReason)
			}
			refusal.WriteString(ch.Delta.Refusal)
			if ch.Delta.Content == "" {
				continue // the opening role-only chunk, keep-alives
			}
			content.WriteString(ch.Delta.Content)
			delivered = true
			if err := onDelta(ch.Delta.Content); err != nil {
				deltaErr = err
				return finalError{err: err, caller: true}
			}
		}
		out, err = checkObject(content.String(), finish, refusal.String())
		return fail(err)
	})
	if deltaErr != nil {
		return "", deltaErr
	}
	if err != nil {
		return "", c.redact(fmt.Errorf("llm: stream %q: %w", schema.Name, err))
	}
	return out, nil
}
