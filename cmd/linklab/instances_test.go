package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/fasthttp/websocket"
	"github.com/linklab/linklab/internal/cmeditors"
	"github.com/linklab/linklab/internal/testseed"
	"github.com/linklab/linklab/realtime"
	"github.com/linklab/linklab/store/mongo/mongotest"
)

// These tests run several LinkLab processes on one MongoDB, as a
// deployment behind a load balancer does: mongo-java-server by default, a
// real replica set when LINKLAB_TEST_MONGODB_URI names one.

// instance is one running LinkLab process.
type instance struct {
	base string
	cmd  *exec.Cmd
}

func (in *instance) kill() { in.cmd.Process.Signal(syscall.SIGKILL); in.cmd.Wait() }
func (in *instance) stop() { in.cmd.Process.Signal(syscall.SIGTERM); in.cmd.Wait() }

// cluster starts n instances on a fresh database; the first seeds the
// demo labs. start(i) starts instance i again, on its address; env is
// added to every instance's environment.
func cluster(t *testing.T, n int, env ...string) (start func(i int) *instance, all []*instance) {
	t.Helper()
	uri, wc := os.Getenv("LINKLAB_TEST_MONGODB_URI"), "majority"
	if uri == "" {
		srv, err := mongotest.Start(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(srv.Stop)
		uri, wc = srv.URI, "1"
	}
	bin := buildBinary(t)
	db := fmt.Sprintf("linklab_instances_%d", time.Now().UnixNano())
	addrs := make([]string, n)
	for i := range addrs {
		addrs[i] = freeAddr(t)
	}
	start = func(i int) *instance {
		vars := append([]string{"LINKLAB_ADDR=" + addrs[i], "LINKLAB_BASE_URL=http://" + addrs[i], "LINKLAB_DATA_DIR=" + t.TempDir(),
			"LINKLAB_MONGODB_URI=" + uri, "LINKLAB_MONGODB_DATABASE=" + db, "LINKLAB_MONGODB_WRITE_CONCERN=" + wc,
			fmt.Sprintf("LINKLAB_DEMO=%t", i == 0 && all[0] == nil)}, env...)
		cmd, logs := startBinary(t, bin, vars...)
		in := &instance{base: "http://" + addrs[i], cmd: cmd}
		// Ready means the feed is open: from then on it hears the others.
		deadline := time.Now().Add(30 * time.Second)
		for {
			resp, err := http.Get(in.base + "/readyz")
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == 200 {
					break
				}
			}
			if time.Now().After(deadline) {
				t.Fatalf("instance %d not ready:\n%s", i, logs.String())
			}
			time.Sleep(50 * time.Millisecond)
		}
		return in
	}
	all = make([]*instance, n)
	for i := range all {
		all[i] = start(i)
	}
	return start, all
}

const demoPassword = "linklab-demo"

func demoEmail(who string) string { return who + "@demo.linklab.example" }

// dialAt opens a real-time connection to one instance with h's cookies:
// a sign-in is valid on every instance.
func dialAt(h *httpClient, base string) (*websocket.Conn, error) {
	hdr := http.Header{}
	hdr.Set("Origin", base)
	var cookies []string
	for _, ck := range h.c.Jar.Cookies(mustParseURL(h.base)) {
		cookies = append(cookies, ck.Name+"="+ck.Value)
	}
	hdr.Set("Cookie", strings.Join(cookies, "; "))
	conn, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(base, "http")+"/api/ws", hdr)
	if err != nil && resp != nil {
		err = fmt.Errorf("%w: %s", err, resp.Status)
	}
	return conn, err
}

// wsMsg is the part of a server message these tests read.
type wsMsg struct {
	Type, Doc, Section, Text, ClientID, Code, Message, Peer, Title string
	ID                                                             int64
	Version                                                        int
	Changes                                                        json.RawMessage
}

// roamer is an editor that types one token at a time into a section and
// waits for each to be acknowledged. When its connection breaks (its
// instance was killed), it connects to another instance, resumes from the
// version it has, and sends the unacknowledged change again, unchanged.
// Every update it hears must follow the one before: no gap, no duplicate.
type roamer struct {
	t       *testing.T
	id      string
	h       *httpClient
	bases   []string
	at      int
	doc     string
	section string
	version int
	length  int
	conn    *websocket.Conn
	in      *wsMessages
	acked   []string
	moved   int
	err     error
}

func (r *roamer) connect(resume bool) error {
	// As the web app does: try the next address, and again after a pause,
	// for a while.
	var err error
	for try := 0; try < 50; try++ {
		base := r.bases[r.at]
		if r.conn, err = dialAt(r.h, base); err == nil {
			break
		}
		r.at = (r.at + 1) % len(r.bases)
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		return err
	}
	r.in = &wsMessages{conn: r.conn}
	sub := fmt.Sprintf(`{"type":"subscribe","id":1,"doc":%q}`, r.doc)
	if resume {
		sub = fmt.Sprintf(`{"type":"subscribe","id":1,"doc":%q,"versions":{%q:%d}}`, r.doc, r.section, r.version)
	}
	if err := r.conn.WriteMessage(websocket.TextMessage, []byte(sub)); err != nil {
		return err
	}
	for {
		m, err := r.next()
		if err != nil {
			return err
		}
		if m.Type == "subscribed" {
			return nil
		}
	}
}

// next reads one message and applies what it says about the section.
func (r *roamer) next() (wsMsg, error) {
	b, err := r.in.next()
	if err != nil {
		return wsMsg{}, err
	}
	var m wsMsg
	json.Unmarshal(b, &m)
	switch {
	case m.Type == "section" && r.section == "":
		r.section = m.Section
		fallthrough
	case m.Type == "section" && m.Section == r.section:
		r.version, r.length = m.Version, len(realtime.TextOf(m.Text))
	case m.Type == "update" && m.Section == r.section:
		if m.Version != r.version+1 {
			return m, fmt.Errorf("%s heard version %d after %d", r.id, m.Version, r.version)
		}
		c, err := realtime.ParseChangeSet(m.Changes)
		if err != nil {
			return m, err
		}
		r.version, r.length = m.Version, c.NewLen()
	case m.Type == "error":
		return m, fmt.Errorf("%s: server error %s: %s", r.id, m.Code, m.Message)
	}
	return m, nil
}

// edit types until stop is closed.
func (r *roamer) edit(stop <-chan struct{}) {
	for n := 1; ; n++ {
		select {
		case <-stop:
			return
		case <-time.After(20 * time.Millisecond):
		}
		token := fmt.Sprintf("[%s-%d]", r.id, n)
		msg := fmt.Sprintf(`{"type":"push","id":%d,"doc":%q,"section":%q,"version":%d,"clientID":%q,"updates":[{"seq":%d,"changes":[[0,%q],%d]}]}`,
			n+1, r.doc, r.section, r.version, r.id, n, token, r.length)
		for acked := false; !acked; {
			err := r.conn.WriteMessage(websocket.TextMessage, []byte(msg))
			for err == nil && !acked {
				var m wsMsg
				m, err = r.next()
				acked = m.Type == "pushed" && m.ID == int64(n+1)
			}
			if acked {
				r.acked = append(r.acked, token)
				break
			}
			var closed *websocket.CloseError
			if !errors.As(err, &closed) && !strings.Contains(err.Error(), "EOF") && !strings.Contains(err.Error(), "reset") && !strings.Contains(err.Error(), "broken pipe") {
				r.err = err
				return
			}
			// The instance went away: carry on at another one.
			r.conn.Close()
			r.at = (r.at + 1) % len(r.bases)
			r.moved++
			if err := r.connect(true); err != nil {
				r.err = err
				return
			}
		}
	}
}

// typing starts one roamer per person, the i-th signed in and connected at
// bases[i % len(bases)], typing until stop is closed; done waits for them.
func typing(t *testing.T, people []string, doc string, bases []string, prefix string) (editors []*roamer, stop chan struct{}, done func()) {
	t.Helper()
	editors = make([]*roamer, len(people))
	for i, p := range people {
		at := i % len(bases)
		editors[i] = &roamer{t: t, id: fmt.Sprintf("%s%d", prefix, i), h: signedIn(t, bases[at], demoEmail(p), demoPassword), bases: bases, at: at, doc: doc}
		if err := editors[i].connect(false); err != nil {
			t.Fatal(err)
		}
	}
	stop = make(chan struct{})
	var wg sync.WaitGroup
	for _, e := range editors {
		wg.Go(func() { e.edit(stop) })
	}
	return editors, stop, wg.Wait
}

// eachOnce checks that every acknowledged change is in text exactly once
// and returns how many there were.
func eachOnce(t *testing.T, text string, editors []*roamer) int {
	t.Helper()
	acked := 0
	for _, e := range editors {
		for _, token := range e.acked {
			acked++
			if n := strings.Count(text, token); n != 1 {
				t.Fatalf("acknowledged change %s is in the text %d times", token, n)
			}
		}
	}
	return acked
}

// sectionText subscribes on one instance and returns the section's text.
func sectionText(t *testing.T, h *httpClient, base, doc, section string) (string, int) {
	t.Helper()
	conn, err := dialAt(h, base)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.WriteMessage(websocket.TextMessage, []byte(fmt.Sprintf(`{"type":"subscribe","id":1,"doc":%q}`, doc)))
	in := &wsMessages{conn: conn}
	for {
		b, err := in.next()
		if err != nil {
			t.Fatal(err)
		}
		var m wsMsg
		json.Unmarshal(b, &m)
		if m.Type == "section" && m.Section == section {
			return m.Text, m.Version
		}
	}
}

// baselineOf returns the Norwegian lab's first document.
func baselineOf(t *testing.T, h *httpClient) (lab, doc string) {
	t.Helper()
	_, labsBody := h.get("/api/labs")
	lab = labsBody["items"].([]any)[0].(map[string]any)["id"].(string)
	_, docs := h.get("/api/labs/" + lab + "/documents")
	return lab, docs["items"].([]any)[0].(map[string]any)["id"].(string)
}

// TestAnInstanceKilledMidEditLosesNothing: editors type on two instances;
// one is killed with SIGKILL; its editors move to the other and resume.
// Every acknowledged change is in the text exactly once, and an instance
// started afterwards reads the same text.
func TestAnInstanceKilledMidEditLosesNothing(t *testing.T) {
	start, inst := cluster(t, 2)
	people := []string{"service-user.no", "frontline-staff.no", "manager.no", "policymaker.no"}
	first := signedIn(t, inst[0].base, demoEmail(people[0]), demoPassword)
	_, doc := baselineOf(t, first)
	bases := []string{inst[0].base, inst[1].base}
	editors, stop, done := typing(t, people, doc, bases, "e")
	time.Sleep(1500 * time.Millisecond)
	inst[1].kill()
	time.Sleep(1500 * time.Millisecond)
	close(stop)
	done()
	for _, e := range editors {
		if e.err != nil {
			t.Fatal(e.err)
		}
	}
	later := start(1)
	var texts []string
	for _, base := range []string{inst[0].base, later.base} {
		text, _ := sectionText(t, first, base, doc, editors[0].section)
		texts = append(texts, text)
	}
	if texts[0] != texts[1] {
		t.Fatalf("the instances disagree:\n%q\n%q", texts[0], texts[1])
	}
	acked := eachOnce(t, texts[0], editors)
	for _, e := range editors {
		if e.at%2 != 0 {
			t.Fatalf("%s is still on the killed instance", e.id)
		}
	}
	if editors[1].moved == 0 || acked < 40 {
		t.Fatalf("%d changes acknowledged, editor e1 moved %d times: the test did not exercise much", acked, editors[1].moved)
	}
	t.Logf("%d acknowledged changes, every one present once after an instance was killed", acked)
}

// listener collects a connection's messages as they come.
type listener struct {
	conn *websocket.Conn
	msgs chan wsMsg
	raw  chan []byte
	done chan struct{}
}

func listen(t *testing.T, h *httpClient, base string, first ...string) *listener {
	t.Helper()
	conn, err := dialAt(h, base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	l := &listener{conn: conn, msgs: make(chan wsMsg, 4096), done: make(chan struct{})}
	go func() {
		defer close(l.done)
		in := &wsMessages{conn: conn}
		for {
			b, err := in.next()
			if err != nil {
				return
			}
			var m wsMsg
			json.Unmarshal(b, &m)
			l.msgs <- m
		}
	}()
	for _, msg := range first {
		conn.WriteMessage(websocket.TextMessage, []byte(msg))
	}
	return l
}

// await waits for a message that matches, up to ten seconds.
func (l *listener) await(t *testing.T, what string, match func(wsMsg) bool) wsMsg {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case m := <-l.msgs:
			if match(m) {
				return m
			}
		case <-l.done:
			t.Fatalf("the connection closed while waiting for %s", what)
		case <-timeout:
			t.Fatalf("no %s within ten seconds", what)
		}
	}
}

func (h *httpClient) do(method, path string, body any) (int, map[string]any) {
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, h.base+path, strings.NewReader(string(b)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", h.csrf)
	return h.send(req)
}

// TestInstancesHearEachOther: three instances; what happens on one reaches
// the subscribers of the others: section changes (to a reader who never
// writes), cursors, document changes, a live workshop's events, and a
// sign-out, which closes the person's connection wherever it is.
func TestInstancesHearEachOther(t *testing.T) {
	_, inst := cluster(t, 3)
	a, b, c := inst[0].base, inst[1].base, inst[2].base
	manager := signedIn(t, a, demoEmail("manager.no"), demoPassword)
	lab, doc := baselineOf(t, manager)
	reader := signedIn(t, c, demoEmail("policymaker.no"), demoPassword)
	subscribe := fmt.Sprintf(`{"type":"subscribe","id":1,"doc":%q}`, doc)
	far := listen(t, reader, c, subscribe)
	var section string
	version := -1
	length := 0
	far.await(t, "the subscription", func(m wsMsg) bool {
		if m.Type == "section" && section == "" {
			section, version, length = m.Section, m.Version, len(realtime.TextOf(m.Text))
		}
		return m.Type == "subscribed"
	})

	// A change accepted on one instance reaches a reader on another.
	writer := listen(t, manager, a, subscribe)
	writer.await(t, "the writer's subscription", func(m wsMsg) bool { return m.Type == "subscribed" })
	push := fmt.Sprintf(`{"type":"push","id":2,"doc":%q,"section":%q,"version":%d,"clientID":"far","updates":[{"seq":1,"changes":[[0,"[across]"],%d]}]}`,
		doc, section, version, length)
	writer.conn.WriteMessage(websocket.TextMessage, []byte(push))
	writer.await(t, "the acknowledgement", func(m wsMsg) bool { return m.Type == "pushed" })
	got := far.await(t, "the change on the other instance", func(m wsMsg) bool { return m.Type == "update" })
	if got.Version != version+1 || got.ClientID != "far" || !strings.Contains(string(got.Changes), "[across]") {
		t.Fatalf("the reader on another instance heard %+v", got)
	}

	// A cursor, and its leaving.
	writer.conn.WriteMessage(websocket.TextMessage, []byte(fmt.Sprintf(`{"type":"presence","id":3,"doc":%q,"section":%q,"version":%d,"anchor":2,"head":4}`,
		doc, section, version+1)))
	cursor := far.await(t, "the cursor", func(m wsMsg) bool { return m.Type == "presence" })
	// A newcomer on the third instance is told where the others are.
	newcomer := listen(t, signedIn(t, b, demoEmail("service-user.no"), demoPassword), b, subscribe)
	newcomer.await(t, "the cursor for a newcomer", func(m wsMsg) bool { return m.Type == "presence" && m.Peer == cursor.Peer })
	writer.conn.WriteMessage(websocket.TextMessage, []byte(fmt.Sprintf(`{"type":"presence","id":4,"doc":%q}`, doc)))
	far.await(t, "the cursor leaving", func(m wsMsg) bool { return m.Type == "presence_left" && m.Peer == cursor.Peer })

	// A document's title changed on the second instance, and a comment
	// posted there.
	managerB := signedIn(t, b, demoEmail("manager.no"), demoPassword)
	if status, body := managerB.do("PATCH", "/api/documents/"+doc, map[string]any{"title": "Baseline, renamed"}); status != 200 {
		t.Fatalf("rename: %d %v", status, body)
	}
	far.await(t, "the document event", func(m wsMsg) bool { return m.Type == "document" && m.Title == "Baseline, renamed" })
	if status, body := managerB.post("/api/documents/"+doc+"/comments", map[string]any{"body": "Seen from the other side",
		"sectionId": section, "version": version + 1, "from": 0, "to": len("[across]")}); status != 201 {
		t.Fatalf("comment: %d %v", status, body)
	}
	far.await(t, "the comment", func(m wsMsg) bool { return m.Type == "comment" })

	// A workshop scheduled on one instance, started on another, followed
	// on the third; a hand raised on the first.
	fac := signedIn(t, a, demoEmail("facilitator.no"), demoPassword)
	status, ws := fac.post("/api/labs/"+lab+"/workshops", map[string]any{"title": "Day one", "agenda": []map[string]any{
		{"title": "Ideas", "kind": "ideas", "minutes": 30, "documents": []string{}}}})
	if status != 201 {
		t.Fatalf("schedule: %d %v", status, ws)
	}
	workshop := ws["id"].(string)
	follower := listen(t, reader, c, fmt.Sprintf(`{"type":"follow","id":5,"workshop":%q}`, workshop))
	follower.await(t, "following", func(m wsMsg) bool { return m.Type == "following" })
	facB := signedIn(t, b, demoEmail("facilitator.no"), demoPassword)
	if status, body := facB.post("/api/workshops/"+workshop+"/control", map[string]any{"action": "start"}); status != 200 {
		t.Fatalf("start: %d %v", status, body)
	}
	follower.await(t, "the workshop starting", func(m wsMsg) bool { return m.Type == "workshop" })
	if status, body := manager.post("/api/workshops/"+workshop+"/hand", map[string]any{"raised": true}); status != 200 {
		t.Fatalf("raise a hand: %d %v", status, body)
	}
	follower.await(t, "the raised hand", func(m wsMsg) bool { return m.Type == "room" })

	// Who may read the document changed on the first instance: the reader
	// on the third is cut off from it at once and must subscribe again,
	// to be checked again; changes made meanwhile do not reach it.
	if status, body := manager.do("PUT", "/api/documents/"+doc+"/visibility", map[string]any{"visibility": "lab"}); status != 200 {
		t.Fatalf("share: %d %v", status, body)
	}
	far.await(t, "the revocation", func(m wsMsg) bool { return m.Type == "revoked" && m.Doc == doc })
	writer.conn.WriteMessage(websocket.TextMessage, []byte(fmt.Sprintf(`{"type":"subscribe","id":6,"doc":%q}`, doc)))
	var now int
	writer.await(t, "subscribing again", func(m wsMsg) bool {
		if m.Type == "section" && m.Section == section {
			now, length = m.Version, len(realtime.TextOf(m.Text))
		}
		return m.Type == "subscribed"
	})
	writer.conn.WriteMessage(websocket.TextMessage, []byte(fmt.Sprintf(`{"type":"push","id":7,"doc":%q,"section":%q,"version":%d,"clientID":"far","updates":[{"seq":2,"changes":[[0,"[unseen]"],%d]}]}`,
		doc, section, now, length)))
	writer.await(t, "the acknowledgement", func(m wsMsg) bool { return m.Type == "pushed" })
	select {
	case m := <-far.msgs:
		if m.Type == "update" {
			t.Fatalf("a connection cut off from the document still hears its changes: %+v", m)
		}
	case <-time.After(500 * time.Millisecond):
	}

	// Signing out on one instance ends the session's connection on another,
	// though it says nothing.
	quiet := signedIn(t, a, demoEmail("frontline-staff.no"), demoPassword)
	silent := listen(t, quiet, c, subscribe)
	silent.await(t, "the silent subscription", func(m wsMsg) bool { return m.Type == "subscribed" })
	if status, body := quiet.post("/api/auth/sign-out", nil); status != 200 && status != 204 {
		t.Fatalf("sign out: %d %v", status, body)
	}
	silent.await(t, "the end of the session", func(m wsMsg) bool { return m.Type == "error" && m.Code == "unauthenticated" })
	select {
	case <-silent.done:
	case <-time.After(10 * time.Second):
		t.Fatal("the signed-out connection stays open on the other instance")
	}
}

// runProxy runs nginx with deploy/nginx.conf as it is, but for the
// addresses: the proxy's own, and the instances'.
func runProxy(t *testing.T, listen string, upstreams []string) {
	t.Helper()
	nginx, err := exec.LookPath("nginx")
	if err != nil {
		if _, err = os.Stat("/usr/sbin/nginx"); err != nil {
			t.Fatal("nginx is not installed: run `make test`, which installs it")
		}
		nginx = "/usr/sbin/nginx"
	}
	sample, err := os.ReadFile("../../deploy/nginx.conf")
	if err != nil {
		t.Fatal(err)
	}
	conf := string(sample)
	for i, old := range []string{"127.0.0.1:8081", "127.0.0.1:8082"} {
		if !strings.Contains(conf, "server "+old) {
			t.Fatalf("the sample no longer lists %s", old)
		}
		conf = strings.Replace(conf, "server "+old, "server "+upstreams[i], 1)
	}
	conf = strings.Replace(conf, "listen 8080;", "listen "+listen+";", 1)
	dir := t.TempDir()
	if err := os.WriteFile(dir+"/linklab.conf", []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	main := `daemon off; master_process off; pid ` + dir + `/nginx.pid; error_log ` + dir + `/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ` + dir + `/body; proxy_temp_path ` + dir + `/proxy;
  fastcgi_temp_path ` + dir + `/fastcgi; uwsgi_temp_path ` + dir + `/uwsgi; scgi_temp_path ` + dir + `/scgi;
  include ` + dir + `/linklab.conf;
}
`
	if err := os.WriteFile(dir+"/nginx.conf", []byte(main), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(nginx, "-p", dir, "-c", dir+"/nginx.conf", "-e", dir+"/error.log")
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			log, _ := os.ReadFile(dir + "/error.log")
			t.Logf("nginx's log:\n%s", log)
		}
	})
	for deadline := time.Now().Add(10 * time.Second); ; {
		resp, err := http.Get("http://" + listen + "/healthz")
		if err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(dir + "/error.log")
			t.Fatalf("nginx does not answer: %v\n%s\n%s", err, out.String(), log)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestBehindTheSampleProxy: docs/deployment.md's nginx configuration in
// front of two instances, restarted one after the other while people type
// through it: their connections move to the running instance and resume,
// and no acknowledged change is lost or doubled.
func TestBehindTheSampleProxy(t *testing.T) {
	proxy := freeAddr(t)
	base := "http://" + proxy
	start, inst := cluster(t, 2, "LINKLAB_BASE_URL="+base, "LINKLAB_PROXY_HEADER=X-Forwarded-For")
	runProxy(t, proxy, []string{strings.TrimPrefix(inst[0].base, "http://"), strings.TrimPrefix(inst[1].base, "http://")})
	people := []string{"service-user.no", "frontline-staff.no", "manager.no"}
	first := signedIn(t, base, demoEmail(people[0]), demoPassword)
	_, doc := baselineOf(t, first)
	editors, stop, done := typing(t, people, doc, []string{base}, "p")
	// A rolling restart: each instance stops (as an upgrade stops it) and
	// comes back before the next one stops.
	for i := range inst {
		time.Sleep(700 * time.Millisecond)
		inst[i].stop()
		time.Sleep(300 * time.Millisecond)
		inst[i] = start(i)
	}
	time.Sleep(700 * time.Millisecond)
	close(stop)
	done()
	moved := 0
	for _, e := range editors {
		if e.err != nil {
			t.Fatal(e.err)
		}
		moved += e.moved
	}
	text, _ := sectionText(t, first, base, doc, editors[0].section)
	acked := eachOnce(t, text, editors)
	if moved == 0 || acked < 40 {
		t.Fatalf("%d changes acknowledged, %d moves: the restart did not reach the editors", acked, moved)
	}
	t.Logf("%d acknowledged changes through the proxy and a rolling restart; the editors moved %d times", acked, moved)
}

// docState subscribes on one instance and returns each section's version
// and text there.
func docState(t *testing.T, h *httpClient, base, doc string) map[string]wsMsg {
	t.Helper()
	l := listen(t, h, base, fmt.Sprintf(`{"type":"subscribe","id":1,"doc":%q}`, doc))
	defer l.conn.Close()
	out := map[string]wsMsg{}
	l.await(t, "the subscription", func(m wsMsg) bool {
		if m.Type == "section" {
			out[m.Section] = m
		}
		return m.Type == "subscribed"
	})
	return out
}

// TestCodeMirrorEditorsAcrossProcesses: editors built on the real
// @codemirror/collab, spread over three LinkLab processes and moving to
// the next one now and then, end on the text every process has.
func TestCodeMirrorEditorsAcrossProcesses(t *testing.T) {
	_, inst := cluster(t, 3)
	h := signedIn(t, inst[0].base, demoEmail("frontline-staff.no"), demoPassword)
	_, doc := baselineOf(t, h)
	var cookies []string
	for _, ck := range h.c.Jar.Cookies(mustParseURL(h.base)) {
		cookies = append(cookies, ck.Name+"="+ck.Value)
	}
	urls := []string{inst[0].base, inst[1].base, inst[2].base}
	cm := cmeditors.Start(t, map[string]any{"url": urls[0], "urls": urls, "cookie": strings.Join(cookies, "; "), "doc": doc,
		"count": 9, "edits": 20, "seed": testseed.Seed(t) % (1 << 32), "reconnect": 0.06, "mode": "random"})
	cm.Expect("done")
	// Every process hears the others a moment later.
	var states []map[string]wsMsg
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		states = states[:0]
		for _, base := range urls {
			states = append(states, docState(t, h, base, doc))
		}
		same := true
		for _, st := range states[1:] {
			for id, sec := range states[0] {
				same = same && st[id].Version == sec.Version && st[id].Text == sec.Text
			}
		}
		if same {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the processes disagree: %v", states)
		}
	}
	final := map[string]int{}
	total := 0
	for id, sec := range states[0] {
		final[id] = sec.Version
		total += sec.Version
	}
	for i, texts := range cm.Texts(final) {
		for id, sec := range states[0] {
			if texts[id] != sec.Text {
				t.Fatalf("CodeMirror editor %d: %q; the processes: %q", i, texts[id], sec.Text)
			}
		}
	}
	if total < 100 {
		t.Fatalf("only %d changes: the editors did little", total)
	}
	t.Logf("9 CodeMirror editors on three processes, %d changes: converged", total)
}
