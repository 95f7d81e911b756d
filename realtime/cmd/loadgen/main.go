// Command loadgen measures the real-time server under load. It prepares a
// data directory (a lab, a participant, documents), starts the linklab
// binary on it, signs in, and drives websocket clients:
//
//   - editors in one document, each pushing a change every -interval (or,
//     with -interval 0, as fast as acknowledgements return), -batch changes
//     per push;
//   - an observer that measures, for every change, the time from its push to
//     the observer seeing it;
//   - -idle connections spread over -idle-docs documents, subscribed and
//     silent, for memory per connection.
//
// It reports accepted changes per second, p50/p99/max latency, the
// server's CPU seconds per 1000 changes (from /proc) and its resident
// memory per connection.
//
// With -mongo (a URI, or "test" to start the MongoDB wire-protocol test
// server) it runs -instances LinkLab processes on one database instead:
// the editors are spread over them (or all on -editors-at), the observer
// is on -observer, and the latency is reported separately for changes
// made on the observer's instance and on another.
//
//	go run ./realtime/cmd/loadgen -editors 200 -interval 200ms -duration 20s
//	go run ./realtime/cmd/loadgen -editors 20 -interval 0 -batch 10
//	go run ./realtime/cmd/loadgen -editors 0 -idle 5000 -idle-docs 500
//	go run ./realtime/cmd/loadgen -mongo test -instances 2 -editors 100 -interval 500ms
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fasthttp/websocket"
	"github.com/linklab/linklab/auth"
	"github.com/linklab/linklab/content"
	"github.com/linklab/linklab/labs"
	"github.com/linklab/linklab/store/mongo"
	"github.com/linklab/linklab/store/mongo/mongotest"
	"github.com/linklab/linklab/store/sqlite"
)

func main() {
	bin := flag.String("bin", "bin/linklab", "the linklab binary to start")
	editors := flag.Int("editors", 100, "editors typing into one document")
	interval := flag.Duration("interval", 200*time.Millisecond, "pause between an editor's pushes; 0 pushes as soon as the last one is acknowledged")
	batch := flag.Int("batch", 1, "changes per push")
	duration := flag.Duration("duration", 15*time.Second, "how long to measure")
	warmup := flag.Duration("warmup", 3*time.Second, "how long to run before measuring")
	idle := flag.Int("idle", 0, "idle subscribed connections")
	idleDocs := flag.Int("idle-docs", 500, "documents the idle connections are spread over")
	pprof := flag.String("pprof", "", "a loopback host:port where the server serves Go profiles")
	hold := flag.Duration("hold", 0, "keep the idle connections open this long after measuring them, to profile the server")
	mongoURI := flag.String("mongo", "", `a MongoDB URI, or "test" to start the MongoDB wire-protocol test server; empty uses SQLite`)
	instances := flag.Int("instances", 1, "LinkLab instances on the MongoDB database (with -mongo)")
	observerAt := flag.Int("observer", 0, "the instance the observer is connected to")
	editorsAt := flag.Int("editors-at", -1, "the instance every editor is connected to; -1 spreads them over all")
	flag.Parse()
	cl := cluster{bin: *bin, pprof: *pprof, instances: max(1, *instances), observer: *observerAt, editorsAt: *editorsAt}
	if *mongoURI == "test" {
		srv, err := mongotest.Start(context.Background())
		if err != nil {
			fmt.Fprintln(os.Stderr, "loadgen:", err)
			os.Exit(1)
		}
		defer srv.Stop()
		cl.mongo, cl.writeConcern = srv.URI, "1"
	} else if *mongoURI != "" {
		cl.mongo, cl.writeConcern = *mongoURI, "majority"
	}
	if cl.mongo == "" && cl.instances > 1 {
		fmt.Fprintln(os.Stderr, "loadgen: several instances need -mongo")
		os.Exit(2)
	}
	if err := run(cl, *editors, *interval, *batch, *duration, *warmup, *idle, *idleDocs, *hold); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

// maxText is the section length the editors keep to.
const maxText = 8000

const (
	email    = "loadgen@example.org"
	password = "loadgen password"
)

// cluster is what runs: one LinkLab on SQLite, or several on MongoDB.
type cluster struct {
	bin, pprof          string
	mongo, writeConcern string
	database            string
	instances           int
	observer, editorsAt int
}

// open opens the store the instances use.
func (cl *cluster) open(ctx context.Context, dir string) (labs.Store, error) {
	if cl.mongo == "" {
		return sqlite.Open(ctx, sqlite.Config{Path: filepath.Join(dir, sqlite.FileName)})
	}
	cl.database = fmt.Sprintf("loadgen_%d", time.Now().UnixNano())
	return mongo.Open(ctx, mongo.Config{URI: cl.mongo, Database: cl.database, WriteConcern: cl.writeConcern})
}

// env is what an instance needs to find the store.
func (cl *cluster) env() []string {
	if cl.mongo == "" {
		return nil
	}
	return []string{"LINKLAB_MONGODB_URI=" + cl.mongo, "LINKLAB_MONGODB_DATABASE=" + cl.database, "LINKLAB_MONGODB_WRITE_CONCERN=" + cl.writeConcern}
}

// prepare creates a lab, a participant and documents in a fresh store.
func prepare(cl *cluster, dir string, docs int) ([]string, error) {
	ctx := context.Background()
	store, err := cl.open(ctx, dir)
	if err != nil {
		return nil, err
	}
	defer store.Close()
	svc, err := auth.New(auth.Config{Store: store})
	if err != nil {
		return nil, err
	}
	acc, err := svc.CreateAccount(ctx, auth.NewAccount{Email: email, DisplayName: "Load", Password: password})
	if err != nil {
		return nil, err
	}
	now := svc.Now()
	lab := labs.Lab{ID: labs.NewID(now), Slug: "load", Country: "NO", Title: "Load", TargetGroup: labs.TargetFamilies, CreatedAt: now, UpdatedAt: now}
	if err := store.CreateLab(ctx, lab); err != nil {
		return nil, err
	}
	if err := store.AddMembership(ctx, labs.Membership{LabID: lab.ID, AccountID: acc.ID, Role: labs.RoleServiceUser,
		StakeholderLevel: labs.LevelMicro, DisplayName: "Load", JoinedAt: now}); err != nil {
		return nil, err
	}
	tpl := content.Template{Name: "load", Version: 1, Kind: labs.KindNotes, Title: "Load",
		Sections: []content.TemplateSection{{Key: "text", Title: "Text"}}}
	ids := make([]string, docs)
	for i := range ids {
		d := tpl.NewDocument(lab.ID, acc.ID, labs.VisLab, now)
		if err := store.CreateDocument(ctx, d); err != nil {
			return nil, err
		}
		ids[i] = d.ID
	}
	return ids, nil
}

type server struct {
	cmd  *exec.Cmd
	base string
}

func start(bin, dir, pprof string, env []string) (*server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	// Every simulated editor shares one sign-in and one address: lift the
	// per-sign-in and per-address connection limits a real crowd never meets.
	cmd := exec.Command(bin, "serve", "--addr", addr, "--data-dir", dir, "--log-level", "warn", "--pprof-addr", pprof,
		"--ws-per-session", "100000", "--ws-per-address", "1000000")
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "LinkLab is running") {
			go func() {
				for sc.Scan() {
				}
			}()
			return &server{cmd: cmd, base: "http://" + addr}, nil
		}
	}
	return nil, fmt.Errorf("%s did not start", bin)
}

// cpu returns the server's user+system CPU seconds so far.
func (s *server) cpu() float64 { return cpuOf(s.cmd.Process.Pid) }

// cpuOf returns a process's user+system CPU seconds so far.
func cpuOf(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	fields := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+2:]))
	ut, _ := strconv.ParseFloat(fields[11], 64)
	st, _ := strconv.ParseFloat(fields[12], 64)
	return (ut + st) / 100 // clock ticks; 100 per second on Linux
}

// rss returns the server's resident memory in bytes.
func (s *server) rss() int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb * 1024
		}
	}
	return 0
}

func signIn(base string) (string, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	body := fmt.Sprintf(`{"email":%q,"password":%q}`, email, password)
	resp, err := c.Post(base+"/api/auth/sign-in", "application/json", strings.NewReader(body))
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		return "", fmt.Errorf("sign in: %s", resp.Status)
	}
	u, _ := url.Parse(base)
	var parts []string
	for _, ck := range jar.Cookies(u) {
		parts = append(parts, ck.Name+"="+ck.Value)
	}
	return strings.Join(parts, "; "), nil
}

// conn is one websocket client.
type conn struct {
	ws      *websocket.Conn
	mu      sync.Mutex // writes
	pending [][]byte   // messages of the last frame not yet read
	buf     bytes.Buffer
}

// frame returns the next frame, which may batch several messages. It is
// read into a buffer the connection reuses, so it is valid only until the
// next call: 500 editors each reading a frame every few milliseconds would
// otherwise make the load generator spend its core on garbage.
func (c *conn) frame() ([]byte, error) {
	_, r, err := c.ws.NextReader()
	if err != nil {
		return nil, err
	}
	c.buf.Reset()
	if _, err := c.buf.ReadFrom(r); err != nil {
		return nil, err
	}
	return c.buf.Bytes(), nil
}

// next returns the next message, splitting frames that batch several.
func (c *conn) next() ([]byte, error) {
	for len(c.pending) == 0 {
		_, frame, err := c.ws.ReadMessage()
		if err != nil {
			return nil, err
		}
		c.pending = bytes.Split(frame, []byte("\n"))
	}
	m := c.pending[0]
	c.pending = c.pending[1:]
	return m, nil
}

func dial(base, cookie string) (*conn, error) {
	h := http.Header{}
	h.Set("Origin", base)
	h.Set("Cookie", cookie)
	d := websocket.Dialer{ReadBufferSize: 1024, WriteBufferSize: 1024, HandshakeTimeout: 30 * time.Second}
	ws, _, err := d.Dial("ws"+strings.TrimPrefix(base, "http")+"/api/ws", h)
	if err != nil {
		return nil, err
	}
	return &conn{ws: ws}, nil
}

func (c *conn) send(msg string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ws.WriteMessage(websocket.TextMessage, []byte(msg))
}

// header is what the load clients read of each message.
type header struct {
	Type     string `json:"type"`
	Section  string `json:"section"`
	Version  int    `json:"version"`
	ClientID string `json:"clientID"`
	Seq      int64  `json:"seq"`
	Text     string `json:"text"`
	Code     string `json:"code"`
	Message  string `json:"message"`
}

// scanUpdate reads an update's version and the text length after its
// change without allocating: the editors share the machine with the server
// they measure, so they must be cheap. Only valid for loadgen's own changes,
// whose inserted text is ASCII without escapes.
func scanUpdate(m []byte) (version, newLen int, ok bool) {
	num := func(b []byte) (int, []byte) {
		n, i := 0, 0
		for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
			n = n*10 + int(b[i]-'0')
		}
		return n, b[i:]
	}
	i := bytes.Index(m, []byte(`"version":`))
	j := bytes.Index(m, []byte(`"changes":[`))
	if i < 0 || j < 0 {
		return 0, 0, false
	}
	version, _ = num(m[i+len(`"version":`):])
	b := m[j+len(`"changes":[`):]
	for len(b) > 0 && b[0] != ']' {
		switch {
		case b[0] == ',':
			b = b[1:]
		case b[0] >= '0' && b[0] <= '9':
			var n int
			n, b = num(b)
			newLen += n
		case b[0] == '[':
			_, b = num(b[1:]) // the replaced length adds nothing
			lines := 0
			for len(b) > 0 && b[0] == ',' {
				end := bytes.IndexByte(b[2:], '"')
				if end < 0 {
					return 0, 0, false
				}
				newLen += end
				lines++
				b = b[2+end+1:]
			}
			if lines > 1 {
				newLen += lines - 1
			}
			b = b[1:] // ']'
		default:
			return 0, 0, false
		}
	}
	return version, newLen, true
}

// subscribe subscribes c to doc and returns the section's ID, version and length.
func subscribe(c *conn, doc string) (string, int, int, error) {
	if err := c.send(fmt.Sprintf(`{"type":"subscribe","id":1,"doc":%q}`, doc)); err != nil {
		return "", 0, 0, err
	}
	var sec string
	var version, length int
	for {
		m, err := c.next()
		if err != nil {
			return "", 0, 0, err
		}
		var h header
		json.Unmarshal(m, &h)
		switch h.Type {
		case "section":
			sec, version, length = h.Section, h.Version, len(h.Text)
		case "subscribed":
			return sec, version, length, nil
		case "error":
			return "", 0, 0, fmt.Errorf("subscribe: %s", h.Message)
		}
	}
}

type sent struct {
	at  time.Time
	far bool // pushed on another instance than the observer's
}

type sample struct {
	mu      sync.Mutex
	sent    map[string]sent // clientID/seq -> when and where it was pushed
	lat     []time.Duration // of changes pushed on the observer's instance
	far     []time.Duration // of changes pushed on another instance
	measure atomic.Bool
}

func run(cl cluster, editors int, interval time.Duration, batch int, duration, warmup time.Duration, idle, idleDocs int, hold time.Duration) error {
	dir, err := os.MkdirTemp("", "linklab-loadgen-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	docs, err := prepare(&cl, dir, 1+idleDocs)
	if err != nil {
		return err
	}
	servers := make([]*server, cl.instances)
	for i := range servers {
		pprof := ""
		if i == 0 {
			pprof = cl.pprof
		}
		data := dir // SQLite's file, or nothing but a place to point at
		if cl.mongo != "" {
			data = filepath.Join(dir, strconv.Itoa(i))
		}
		if servers[i], err = start(cl.bin, data, pprof, cl.env()); err != nil {
			return err
		}
		defer func() { servers[i].cmd.Process.Kill(); servers[i].cmd.Wait() }()
	}
	srv := servers[0]
	cookie, err := signIn(srv.base)
	if err != nil {
		return err
	}
	time.Sleep(500 * time.Millisecond)
	rssBase := srv.rss()

	if idle > 0 {
		for i := range idle {
			c, err := dial(srv.base, cookie)
			if err != nil {
				return fmt.Errorf("idle connection %d: %w", i, err)
			}
			if _, _, _, err := subscribe(c, docs[1+i%idleDocs]); err != nil {
				return err
			}
			go func() {
				for {
					if _, _, err := c.ws.ReadMessage(); err != nil {
						return
					}
				}
			}()
		}
		time.Sleep(2 * time.Second)
		rss := srv.rss()
		fmt.Printf("idle: %d connections over %d documents: server RSS %.1f MiB -> %.1f MiB, %.1f KiB per connection\n",
			idle, idleDocs, float64(rssBase)/(1<<20), float64(rss)/(1<<20), float64(rss-rssBase)/1024/float64(idle))
		time.Sleep(hold)
	}
	if editors == 0 {
		return nil
	}

	s := &sample{sent: map[string]sent{}}
	doc := docs[0]
	// The observer sees every change and times it.
	obs, err := dial(servers[cl.observer%len(servers)].base, cookie)
	if err != nil {
		return err
	}
	if _, _, _, err := subscribe(obs, doc); err != nil {
		return err
	}
	var accepted atomic.Int64
	go func() {
		for {
			m, err := obs.next()
			if err != nil {
				return
			}
			now := time.Now()
			{
				var h header
				if json.Unmarshal(m, &h) != nil || h.Type != "update" {
					continue
				}
				accepted.Add(1)
				key := h.ClientID + "/" + strconv.FormatInt(h.Seq, 10)
				s.mu.Lock()
				if t0, ok := s.sent[key]; ok {
					delete(s.sent, key)
					switch {
					case !s.measure.Load():
					case t0.far:
						s.far = append(s.far, now.Sub(t0.at))
					default:
						s.lat = append(s.lat, now.Sub(t0.at))
					}
				}
				s.mu.Unlock()
			}
		}
	}()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	var errs atomic.Int64
	for i := range editors {
		at := i % len(servers)
		if cl.editorsAt >= 0 {
			at = cl.editorsAt % len(servers)
		}
		c, err := dial(servers[at].base, cookie)
		if err != nil {
			return fmt.Errorf("editor %d: %w", i, err)
		}
		sec, version, length, err := subscribe(c, doc)
		if err != nil {
			return err
		}
		far := at != cl.observer%len(servers)
		wg.Go(func() { edit(ctx, c, s, &errs, fmt.Sprintf("e%d", i), doc, sec, version, length, interval, batch, far) })
	}
	cpu := func() float64 {
		total := 0.0
		for _, srv := range servers {
			total += srv.cpu()
		}
		return total
	}
	time.Sleep(warmup)
	s.measure.Store(true)
	a0, cpu0, own0, t0 := accepted.Load(), cpu(), cpuOf(os.Getpid()), time.Now()
	time.Sleep(duration)
	a1, cpu1, own1, elapsed := accepted.Load(), cpu(), cpuOf(os.Getpid()), time.Since(t0)
	s.measure.Store(false)
	rss := srv.rss()
	cancel()

	s.mu.Lock()
	lat, far := slices.Clone(s.lat), slices.Clone(s.far)
	s.mu.Unlock()
	changes := a1 - a0
	where := ""
	if len(servers) > 1 {
		where = fmt.Sprintf(" instances=%d", len(servers))
	}
	fmt.Printf("editors=%d interval=%s batch=%d%s: %.0f changes/s accepted, latency %s, server CPU %.3f s per 1000 changes (load generator %.3f s), RSS %.1f MiB, errors %d\n",
		editors, interval, batch, where, float64(changes)/elapsed.Seconds(), latencies(lat, far),
		(cpu1-cpu0)/float64(max(changes, 1))*1000, (own1-own0)/float64(max(changes, 1))*1000, float64(rss)/(1<<20), errs.Load())
	return nil
}

// latencies reports the percentiles of changes made on the observer's
// instance and, when there are any, of those made on another.
func latencies(same, far []time.Duration) string {
	describe := func(lat []time.Duration) string {
		slices.Sort(lat)
		pct := func(p float64) time.Duration {
			if len(lat) == 0 {
				return 0
			}
			return lat[min(len(lat)-1, int(p*float64(len(lat))))]
		}
		return fmt.Sprintf("p50 %.1f ms p99 %.1f ms max %.1f ms (%d samples)", ms(pct(0.5)), ms(pct(0.99)), ms(pct(1)), len(lat))
	}
	switch {
	case len(far) == 0:
		return describe(same)
	case len(same) == 0:
		return "from another instance " + describe(far)
	}
	return "same instance " + describe(same) + "; from another instance " + describe(far)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// edit pushes insertions at the start of the section; it keeps its
// version and length from the stream (its own changes come back there too).
func edit(ctx context.Context, c *conn, s *sample, errs *atomic.Int64, id, doc, sec string, version, length int, interval time.Duration, batch int, far bool) {
	type state struct{ version, length int }
	var mu sync.Mutex
	cur := state{version, length}
	acked := make(chan struct{}, 1)
	ack := func() {
		select {
		case acked <- struct{}{}:
		default:
		}
	}
	// handle reads a frame. Only each message's type is looked at (its
	// first bytes); of the updates only the last matters to an editor (its
	// version and length), so only that one is scanned.
	handle := func(f []byte) bool {
		var last []byte
		for len(f) > 0 {
			m := f
			if end := bytes.IndexByte(f, '\n'); end >= 0 {
				m, f = f[:end], f[end+1:]
			} else {
				f = nil
			}
			switch {
			case bytes.HasPrefix(m, []byte(`{"type":"update"`)):
				last = m
			case bytes.HasPrefix(m, []byte(`{"type":"pushed"`)):
				ack()
			case bytes.HasPrefix(m, []byte(`{"type":"error"`)):
				if errs.Add(1) == 1 {
					fmt.Fprintf(os.Stderr, "first error: %s\n", m)
				}
				ack()
			}
		}
		if last != nil {
			v, n, ok := scanUpdate(last)
			if !ok {
				errs.Add(1)
				return false
			}
			mu.Lock()
			cur.version, cur.length = v, n
			mu.Unlock()
		}
		return true
	}
	go func() {
		for _, m := range c.pending { // left over from subscribing
			if !handle(m) {
				return
			}
		}
		c.pending = nil
		for {
			f, err := c.frame()
			if err != nil || !handle(f) {
				return
			}
		}
	}()
	var seq int64
	tick := time.NewTicker(max(interval, time.Millisecond))
	defer tick.Stop()
	defer c.ws.Close()
	for {
		if interval > 0 {
			select {
			case <-tick.C:
			case <-ctx.Done():
				return
			}
		}
		mu.Lock()
		st := cur
		mu.Unlock()
		var b strings.Builder
		fmt.Fprintf(&b, `{"type":"push","id":1,"doc":%q,"section":%q,"version":%d,"clientID":%q,"updates":[`, doc, sec, st.version, id)
		length := st.length
		now := time.Now()
		s.mu.Lock()
		for i := range batch {
			seq++
			token := fmt.Sprintf("<%s.%d>", id, seq)
			if i > 0 {
				b.WriteString(",")
			}
			// Insert at the start; past maxText, also delete as much at a
			// random place, so the text stays the size of a real section.
			// (Deleting at one agreed place would not: concurrent deletions
			// of the same text are mapped to one, while every insertion stays.)
			if length > maxText {
				k := len(token)
				p := rand.IntN(length - k)
				fmt.Fprintf(&b, `{"seq":%d,"changes":[[0,%q],%d,[%d],%d]}`, seq, token, p, k, length-p-k)
			} else {
				fmt.Fprintf(&b, `{"seq":%d,"changes":[[0,%q],%d]}`, seq, token, length)
				length += len(token)
			}
			s.sent[id+"/"+strconv.FormatInt(seq, 10)] = sent{at: now, far: far}
		}
		s.mu.Unlock()
		b.WriteString("]}")
		if err := c.send(b.String()); err != nil {
			return
		}
		select {
		case <-acked:
		case <-ctx.Done():
			return
		case <-time.After(30 * time.Second):
			errs.Add(1)
			return
		}
	}
}
