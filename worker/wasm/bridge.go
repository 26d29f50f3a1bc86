//go:build js && wasm

package main

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall/js"
)

// serveFunc is binding.serve, a lean alternative to syumai's
// binding.handleRequest for the one long-lived instance: entry.mjs reads the
// request (method, URL, headers as one string "name\nvalue\nname\nvalue…",
// body bytes or null) and passes a resolve function; Go runs the handler in a
// goroutine, buffers the answer (the API's answers are small JSON) and calls
// resolve(status, headers, body) with the headers in the same form. Header
// names and values cannot contain a newline, and one string crosses between
// JavaScript and Go where a value per name and value would (each js.Value Go
// holds carries a finalizer, the largest Go-side cost of a request). It avoids syumai's per-request ReadableStream
// bridges, io.Pipe and js.Funcs, which cost more CPU than the signing itself.
func serveFunc(h http.Handler) js.Func {
	return js.FuncOf(func(_ js.Value, args []js.Value) any {
		method, rawURL, headers, body, resolve := args[0].String(), args[1].String(), args[2].String(), args[3], args[4]
		var payload []byte
		if body.Truthy() {
			payload = make([]byte, body.Length())
			js.CopyBytesToGo(payload, body)
		}
		go func() {
			status, outHeaders, out := serveOne(h, method, rawURL, headers, payload)
			resolve.Invoke(status, outHeaders, out)
		}()
		return nil
	})
}

// serveOne runs h for one request and returns what entry.mjs turns into a Response.
func serveOne(h http.Handler, method, rawURL, headers string, payload []byte) (int, string, js.Value) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return http.StatusBadRequest, "", js.Null()
	}
	r := &http.Request{Method: method, URL: u, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{}, Host: u.Host, ContentLength: int64(len(payload)), Body: http.NoBody}
	for headers != "" {
		var name, value string
		name, headers, _ = strings.Cut(headers, "\n")
		value, headers, _ = strings.Cut(headers, "\n")
		r.Header.Add(name, value)
	}
	if payload != nil {
		r.Body = nopCloser{bytes.NewReader(payload)}
	} else if n, err := strconv.ParseInt(r.Header.Get("Content-Length"), 10, 64); err == nil && n > 0 {
		r.ContentLength = n // a body entry.mjs would not read: the handler refuses it by size
	}
	r.RemoteAddr = r.Header.Get("Cf-Connecting-Ip")
	w := &bufferedResponse{header: http.Header{}}
	h.ServeHTTP(w, r)
	if w.status == 0 {
		w.status = http.StatusOK
	}
	var flat strings.Builder
	for name, values := range w.header {
		for _, v := range values {
			if flat.Len() > 0 {
				flat.WriteByte('\n')
			}
			flat.WriteString(name + "\n" + v)
		}
	}
	body := js.Null()
	if w.body.Len() > 0 {
		body = js.Global().Get("Uint8Array").New(w.body.Len())
		js.CopyBytesToJS(body, w.body.Bytes())
	}
	return w.status, flat.String(), body
}

type nopCloser struct{ *bytes.Reader }

func (nopCloser) Close() error { return nil }

// bufferedResponse is an http.ResponseWriter that keeps the whole answer.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (w *bufferedResponse) Header() http.Header { return w.header }

func (w *bufferedResponse) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *bufferedResponse) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.body.Write(b)
}
