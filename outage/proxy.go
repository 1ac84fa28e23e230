// Package outage takes a TCP service out of reach and brings it back, as a network outage would: a Proxy
// stands between a client and the service, and Cut closes its listener and every connection through it
// until Restore listens again on the same address. The outage test and `exitinterview bench --only
// resilience` put one between the server's pool and PostgreSQL, without touching the PostgreSQL others use.
package outage

import (
	"fmt"
	"io"
	"net"
	"sync"
)

// Proxy forwards TCP connections on a loopback address to a target.
type Proxy struct {
	target string

	mu    sync.Mutex
	addr  string
	ln    net.Listener
	conns map[net.Conn]bool
}

// Start returns a proxy to target, listening on a free loopback port.
func Start(target string) (*Proxy, error) {
	p := &Proxy{target: target, addr: "127.0.0.1:0", conns: map[net.Conn]bool{}}
	if err := p.Restore(); err != nil {
		return nil, err
	}
	return p, nil
}

// Addr is the address clients connect to; it stays the same across Cut and Restore.
func (p *Proxy) Addr() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.addr
}

// Restore listens (again) on the proxy's address. It does nothing while the proxy is up.
func (p *Proxy) Restore() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		return nil
	}
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		return fmt.Errorf("proxy listen on %s: %w", p.addr, err)
	}
	p.ln, p.addr = ln, ln.Addr().String()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.pipe(c)
		}
	}()
	return nil
}

func (p *Proxy) pipe(c net.Conn) {
	s, err := net.Dial("tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	if p.ln == nil { // cut meanwhile
		p.mu.Unlock()
		c.Close()
		s.Close()
		return
	}
	p.conns[c], p.conns[s] = true, true
	p.mu.Unlock()
	go func() { _, _ = io.Copy(s, c); s.Close() }()
	_, _ = io.Copy(c, s)
	c.Close()
}

// Cut closes the listener and every connection through it: new connections are refused, open ones break.
func (p *Proxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		c.Close()
		delete(p.conns, c)
	}
}
