//go:build js && wasm

package main

import (
	"context"
	"errors"
	"syscall/js"
	"time"
)

// fetchOrigin GETs a manifest for GET /v1/playlist with the Fetch API:
// redirects are not followed (redirect: "manual" gives an opaque answer
// with status 0, which the handler refuses), the request is aborted when
// ctx's deadline passes, and a body over limit is cut at limit+1 bytes
// (the handler refuses it). It runs in a request's goroutine, so waiting
// on the Promises is allowed.
func fetchOrigin(ctx context.Context, url string, limit int64) (int, []byte, error) {
	init := js.Global().Get("Object").New()
	init.Set("redirect", "manual")
	timeout := 10 * time.Second
	if d, ok := ctx.Deadline(); ok {
		timeout = max(time.Until(d), time.Millisecond)
	}
	init.Set("signal", js.Global().Get("AbortSignal").Call("timeout", timeout.Milliseconds()))
	resp, err := awaitDirect(js.Global().Call("fetch", url, init))
	if err != nil {
		return 0, nil, errors.New("fetch failed: " + err.Error())
	}
	status := resp.Get("status").Int()
	if status != 200 {
		return status, nil, nil
	}
	buf, err := awaitDirect(resp.Call("arrayBuffer"))
	if err != nil {
		return 0, nil, errors.New("the body could not be read: " + err.Error())
	}
	body := js.Global().Get("Uint8Array").New(buf)
	n := int64(body.Length())
	if n > limit {
		n = limit + 1
		body = body.Call("subarray", 0, n)
	}
	out := make([]byte, n)
	js.CopyBytesToGo(out, body)
	return status, out, nil
}
