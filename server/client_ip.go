package server

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// clientIPs finds the address of the person behind a request, for the
// per-address limits. Without a proxy header it is the connection's peer.
// With one, the header counts only when the peer is a trusted proxy, and
// then the address is the right-most one in the header that is not itself
// a trusted proxy: each proxy appends the address it was reached from, so
// everything to the left of that was written by the client and proves
// nothing (a new made-up address per request would escape any limit).
type clientIPs struct {
	header  string
	trusted []netip.Prefix
}

// parseTrustedProxies reads a comma-separated list of addresses and CIDR
// ranges.
func parseTrustedProxies(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("%q is neither an address nor a CIDR range", f)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

func (ips clientIPs) isTrusted(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range ips.trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// of returns the client address of c.
func (ips clientIPs) of(c *fiber.Ctx) string {
	peer, _ := netip.AddrFromSlice(c.Context().RemoteIP())
	peer = peer.Unmap()
	if ips.header == "" || !ips.isTrusted(peer) {
		return peer.String()
	}
	// Every occurrence of the header, in order, as one list.
	var hops []string
	c.Request().Header.VisitAll(func(k, v []byte) {
		if strings.EqualFold(string(k), ips.header) {
			hops = append(hops, strings.Split(string(v), ",")...)
		}
	})
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break // a proxy wrote nothing usable here: do not look further left
		}
		if !ips.isTrusted(a) {
			return a.Unmap().String()
		}
	}
	return peer.String()
}
