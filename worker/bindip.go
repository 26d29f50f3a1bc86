package worker

import (
	"net/http"
	"net/netip"
	"strings"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/token"
)

// checkBindIP finds the address a bindIp token binds to: the caller's, which
// must be IPv4, since CloudFront's IpAddress condition knows no IPv6.
func (h *Handler) checkBindIP(r *Request, c *caller) error {
	if !c.scope.BindIP {
		return nil
	}
	raw := strings.TrimSpace(h.clientIP(r))
	addr, err := netip.ParseAddr(raw)
	if raw == "" || err != nil {
		return newProblem(http.StatusForbidden, CodeIPNotBindable, "this token binds what it mints to the caller's IP address (bindIp), and the caller's address (CF-Connecting-IP) is unknown")
	}
	addr = addr.Unmap()
	if !addr.Is4() {
		return newProblem(http.StatusForbidden, CodeIPNotBindable, "this token binds what it mints to the caller's IP address (bindIp), but CloudFront's IpAddress condition is IPv4-only and this request came over IPv6; "+
			"turn IPv6 off on the CloudFront distribution (and call this worker over IPv4), so viewers reach both with the address the URL is bound to, or mint with a token without bindIp")
	}
	c.boundIP = addr.String()
	return nil
}

// bindTerms applies c's IP binding to the ip a request asked for: absent,
// "client" or the caller's own address.
func bindTerms(c *caller, requested string) (string, error) {
	if c.boundIP == "" {
		return requested, nil
	}
	switch requested {
	case "", "client", c.boundIP, c.boundIP + "/32":
		return c.boundIP, nil
	}
	return "", &frontsign.Error{Code: token.CodeOutsideScope, Msg: "this token binds what it mints to the caller's own address (bindIp); leave ip out or send \"client\""}
}
