package worker

import "time"

// auditLine is one line of the audit log.
type auditLine struct {
	Time      string `json:"time"`
	Event     string `json:"event"` // always "mint"
	Kind      string `json:"kind"`  // url, redirect or cookies
	RequestID string `json:"requestId"`
	Subject   string `json:"sub"`
	Resource  string `json:"resource"`
	Expires   int64  `json:"expires"`
	KeyPairID string `json:"keyPairId"`
}

func (h *Handler) auditEntry(kind, rid string, c *caller, resource string, expires int64, keyID string) auditLine {
	return auditLine{Time: h.auditTime(), Event: "mint", Kind: kind, RequestID: rid,
		Subject: c.subject, Resource: resource, Expires: expires, KeyPairID: keyID}
}

// formattedSecond is one Unix second in RFC 3339.
type formattedSecond struct {
	unix int64
	text string
}

// auditTime is the current time for audit lines, formatted once per second
// rather than once per line of a batch.
func (h *Handler) auditTime() string {
	now := h.now().UTC()
	if last := h.lastSecond.Load(); last != nil && last.unix == now.Unix() {
		return last.text
	}
	text := now.Format(time.RFC3339)
	h.lastSecond.Store(&formattedSecond{now.Unix(), text})
	return text
}

// writeAudit writes a request's audit lines, one JSON object per line, in a
// single Write, so a writer that logs per Write logs once per request. It
// never includes the signature, the signed URL or the token.
func (h *Handler) writeAudit(entries ...auditLine) {
	buf := make([]byte, 0, 256*len(entries))
	for i := range entries {
		buf = append(entries[i].appendJSON(buf), '\n')
	}
	h.auditMu.Lock()
	defer h.auditMu.Unlock()
	h.audit.Write(buf)
}
