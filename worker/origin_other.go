//go:build !(js && wasm)

package worker

import (
	"context"
	"io"
	"net/http"
)

// defaultOriginFetch is net/http's client, refusing redirects.
var defaultOriginFetch OriginFetch = func(ctx context.Context, url string, limit int64) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, nil, err
	}
	resp, err := originClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	return resp.StatusCode, body, err
}

var originClient = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
