//go:build js && wasm

package main

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"syscall/js"
	"time"
)

// readSize is how much fetchOrigin reads per wait of a body whose length
// is not declared.
const readSize = 64 << 10

// fetchOrigin GETs a manifest for GET /v1/playlist with the Fetch API:
// redirects are not followed (redirect: "manual" gives an opaque answer
// with status 0, which the handler refuses), the request is aborted when
// ctx's deadline passes, and a body is read up to limit+1 bytes (the
// handler refuses a longer one). It runs in a request's goroutine, so waiting
// on the Promises is allowed.
func fetchOrigin(ctx context.Context, url string, limit int64) (int, []byte, error) {
	init := js.Global().Get("Object").New()
	init.Set("redirect", "manual")
	return fetchLimited(ctx, url, init, limit)
}

// fetchLimited GETs url with the Fetch API options init, and returns the
// status and, for a 200, the body read up to limit+1 bytes; the request is
// aborted when ctx's deadline passes or after 10 s, whichever is first.
//
// One AbortController ends the fetch: its timer aborts it at the deadline,
// and when fetchLimited returns, the timer is cleared and the fetch aborted,
// which cancels a body left unread (a redirect's, an error page's, one cut
// at the limit) rather than leaving it, and its connection, to the runtime.
// Aborting a fetch whose body was read whole does nothing.
func fetchLimited(ctx context.Context, url string, init js.Value, limit int64) (int, []byte, error) {
	timeout := 10 * time.Second
	if d, ok := ctx.Deadline(); ok && time.Until(d) < timeout {
		timeout = max(time.Until(d), time.Millisecond)
	}
	controller := js.Global().Get("AbortController").New()
	abort := controller.Get("abort").Call("bind", controller)
	timer := js.Global().Call("setTimeout", abort, timeout.Milliseconds())
	defer func() {
		js.Global().Call("clearTimeout", timer)
		controller.Call("abort")
	}()
	init.Set("signal", controller.Get("signal"))
	resp, err := awaitDirect(js.Global().Call("fetch", url, init))
	if err != nil {
		return 0, nil, errors.New("fetch failed: " + err.Error())
	}
	status := resp.Get("status").Int()
	if status != 200 {
		return status, nil, nil
	}
	// Read chunk by chunk and stop past limit: an origin that streams
	// without end (or a manifest far over the limit) costs limit+1 bytes,
	// and the deferred abort cancels the rest, rather than the body filling
	// the isolate's memory until the deadline. The reader is a BYOB one for
	// workerd's readAtLeast, which fills a chunk (or ends the body) per
	// wait: the default reader hands over what the socket had, about 4 KB,
	// which made 4 MiB cost 1,126 waits instead of 65. A body of declared
	// length is one chunk, read in one wait.
	body := resp.Get("body")
	if body.IsNull() {
		return status, nil, nil
	}
	size := int64(readSize)
	if n, err := strconv.ParseInt(resp.Get("headers").Call("get", "Content-Length").String(), 10, 64); err == nil && n > 0 {
		size = min(n, limit+1)
	}
	opts := js.Global().Get("Object").New()
	opts.Set("mode", "byob")
	reader := body.Call("getReader", opts)
	out := make([]byte, 0, size)
	for int64(len(out)) <= limit {
		r, err := awaitDirect(reader.Call("readAtLeast", size, uint8Array.New(size)))
		if err != nil {
			return 0, nil, errors.New("the body could not be read: " + err.Error())
		}
		if chunk := r.Get("value"); !chunk.IsUndefined() {
			start, n := len(out), chunk.Length()
			out = slices.Grow(out, n)[:start+n]
			js.CopyBytesToGo(out[start:], chunk)
		}
		if r.Get("done").Bool() {
			break
		}
	}
	if int64(len(out)) > limit {
		out = out[:limit+1]
	}
	return status, out, nil
}
