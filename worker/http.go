package worker

import (
	"net/http"
)

// ServeHTTP answers r through [Handler.Serve]: net/http is one transport of
// the worker, the one native servers and the tests (httptest) use.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	req := Request{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Header: r.Header,
		ContentLength: r.ContentLength}
	if r.Body != nil && r.Body != http.NoBody {
		// net/http's own limit also tells the server to close the
		// connection rather than drain a body that is too large.
		req.Body = http.MaxBytesReader(w, r.Body, MaxBodySize)
	}
	answer := h.Serve(r.Context(), &req)
	header := w.Header()
	for _, f := range answer.Header {
		header.Add(f.Name, f.Value)
	}
	w.WriteHeader(answer.Status)
	w.Write(answer.Body)
}
