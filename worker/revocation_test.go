package worker

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/token"
)

// fakeKV is a RevocationStore over a map, counting reads.
type fakeKV struct {
	mu    sync.Mutex
	m     map[string]string
	reads int
	fail  bool
}

func (f *fakeKV) Get(_ context.Context, key string) (string, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reads++
	if f.fail {
		return "", false, errors.New("KV is down")
	}
	v, ok := f.m[key]
	return v, ok, nil
}

func (f *fakeKV) set(k, v string) { f.mu.Lock(); f.m[k] = v; f.mu.Unlock() }

func TestRevocation(t *testing.T) {
	_, ec := testKeys(t)
	kv := &fakeKV{m: map[string]string{}}
	now := testNow
	e := newTestEnv(t, baseEnv(ec), WithRevocations(kv), WithClock(func() time.Time { return now }))
	iat := testNow.Add(-time.Hour)
	ok := func(tok string) {
		t.Helper()
		if w := e.do("POST", "/v1/sign", signBody, bearer(tok)); w.Code != 200 {
			t.Fatalf("status %d: %s", w.Code, w.Body.String())
		}
	}
	refused := func(tok string, code frontsign.Code) {
		t.Helper()
		expectProblem(t, e.do("POST", "/v1/sign", signBody, bearer(tok)), 401, code)
		e.expectRefusalAudited(code, tok)
	}

	a := policyToken(t, "alice", "t-1", iat, nil)
	ok(a)
	kv.set("jti:t-1", "")
	ok(a) // cached: the revocation has not bitten yet
	now = now.Add(RevocationCacheTTL)
	refused(a, CodeTokenRevoked)
	ok(policyToken(t, "alice", "t-2", iat, nil)) // another jti of the same subject

	// Subject cutoff: iat before it is refused, at or after it is not.
	cutoff := iat.Add(time.Minute)
	kv.set("sub:bob", strconv.FormatInt(cutoff.Unix(), 10))
	refused(policyToken(t, "bob", "b-1", iat, nil), CodeTokenRevoked)
	ok(policyToken(t, "bob", "b-2", cutoff, nil))
	ok(policyToken(t, "bob", "b-3", cutoff.Add(time.Second), nil))
	refused(policyToken(t, "bob", "b-4", time.Time{}, nil), CodeTokenRevoked) // no iat: cannot show it is newer
	kv.set("sub:carol", "yesterday")
	refused(policyToken(t, "carol", "", iat, nil), CodeTokenRevoked) // an entry that is not Unix seconds revokes all
	expectProblem(t, e.do("POST", "/v1/sign", signBody, bearer(policyToken(t, "", "", iat, nil))), 401, token.CodeBadClaims)
	expectProblem(t, e.do("POST", "/v1/sign", signBody, bearer(policyToken(t, strings.Repeat("s", 600), "", iat, nil))), 401, token.CodeBadClaims)

	// Cookies and redirects are checked too.
	expectProblem(t, e.do("POST", "/v1/cookies", `{"resource":"https://media.example.com/videos/42/*"}`, bearer(a)), 401, CodeTokenRevoked)
	expectProblem(t, e.do("GET", "/v1/redirect?url="+url.QueryEscape("https://media.example.com/videos/42/a.ts")+"&access_token="+a, "", nil), 401, CodeTokenRevoked)

	// Within RevocationCacheTTL a token is looked up once.
	d := policyToken(t, "dave", "d-1", iat, nil)
	before := kv.reads
	for range 5 {
		ok(d)
	}
	if got := kv.reads - before; got != 2 { // jti:d-1 and sub:dave, once each
		t.Fatalf("%d KV reads for 5 mints, want 2", got)
	}

	w := e.do("GET", "/v1/health", "", nil)
	if h := decode[map[string]any](t, w); h["revocation"] != "on, fail closed" || h["rateLimit"] != "off" {
		t.Fatalf("health %v", h)
	}
}

func TestRevocationFailure(t *testing.T) {
	_, ec := testKeys(t)
	for _, mode := range []string{"", "closed", "open"} {
		t.Run("mode "+mode, func(t *testing.T) {
			kv := &fakeKV{m: map[string]string{}, fail: true}
			env := baseEnv(ec)
			env[SettingRevocationFailure] = mode
			e := newTestEnv(t, env, WithRevocations(kv))
			tok := policyToken(t, "alice", "t-1", testNow.Add(-time.Hour), nil)
			w := e.do("POST", "/v1/sign", signBody, bearer(tok))
			if mode == "open" {
				if w.Code != 200 {
					t.Fatalf("fail open: status %d", w.Code)
				}
				if line := e.audit.String(); !strings.Contains(line, `"event":"unchecked","code":"revocation_unavailable"`) {
					t.Fatalf("audit %q lacks the unchecked mint", line)
				}
				return
			}
			expectProblem(t, w, 503, CodeRevocationUnavailable)
			if w.Header().Get("Retry-After") == "" {
				t.Fatal("503 without Retry-After")
			}
			e.expectRefusalAudited(CodeRevocationUnavailable, tok)
			kv.fail = false // a failure is not cached
			if w := e.do("POST", "/v1/sign", signBody, bearer(tok)); w.Code != 200 {
				t.Fatalf("after recovery: status %d", w.Code)
			}
		})
	}
}
