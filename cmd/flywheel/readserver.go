package main

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"flywheel/config"
)

// The socket protocol. The command line sends one JSON line
// {"command":"digest","args":[...]}; the bot answers with frames, each a
// kind byte, a big-endian uint32 length and that many bytes, ending with
// one frameExit.
const (
	frameStdout = 'o'
	frameStderr = 'e'
	frameFile   = 'F' // the payload is a path; the frameData that follow are its bytes
	frameData   = 'f'
	frameExit   = 'x' // the payload is an exitStatus in JSON
	maxFrame    = 1 << 20
	maxRequest  = 64 << 10
	// readRequestTimeout bounds one command served by the bot.
	readRequestTimeout = 5 * time.Minute
)

type readRequest struct {
	Command string   `json:"command"`
	Args    []string `json:"args"`
}

type exitStatus struct {
	Error string `json:"error,omitempty"`
	Usage bool   `json:"usage,omitempty"`
}

// askBot runs a read command through a bot answering on path. served is
// false when no bot answers there (no socket, or a stale one left by a
// crash); the caller then reads the file itself.
func askBot(ctx context.Context, path, command string, args []string, stdout, stderr io.Writer) (served bool, err error) {
	d := net.Dialer{Timeout: time.Second}
	conn, err := d.DialContext(ctx, "unix", path)
	if err != nil {
		return false, nil
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Now()) })
	defer stop()
	if err := json.NewEncoder(conn).Encode(readRequest{Command: command, Args: args}); err != nil {
		return false, nil // the bot went away between dial and write: read the file
	}
	r := bufio.NewReader(conn)
	var file *os.File
	var fileErr error
	closeFile := func() {
		if file != nil {
			if err := file.Close(); err != nil && fileErr == nil {
				fileErr = err
			}
			file = nil
		}
	}
	defer closeFile()
	for {
		kind, payload, err := readFrame(r)
		if err != nil {
			return true, fmt.Errorf("flywheel %s through the running bot (%s): %w", command, path, err)
		}
		switch kind {
		case frameStdout:
			_, err = stdout.Write(payload)
		case frameStderr:
			_, err = stderr.Write(payload)
		case frameFile:
			closeFile()
			if fileErr == nil {
				file, fileErr = os.Create(string(payload))
			}
		case frameData:
			if file != nil {
				if _, werr := file.Write(payload); werr != nil && fileErr == nil {
					fileErr = werr
				}
			}
		case frameExit:
			closeFile()
			var st exitStatus
			if err := json.Unmarshal(payload, &st); err != nil {
				return true, fmt.Errorf("flywheel %s: bad answer from the running bot: %w", command, err)
			}
			switch {
			case st.Usage:
				return true, errUsage
			case st.Error != "":
				return true, errors.New(st.Error)
			}
			return true, fileErr
		}
		if err != nil {
			return true, err
		}
	}
}

func readFrame(r io.Reader) (byte, []byte, error) {
	var head [5]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return 0, nil, err
	}
	n := binary.BigEndian.Uint32(head[1:])
	if n > maxFrame {
		return 0, nil, fmt.Errorf("frame of %d bytes", n)
	}
	p := make([]byte, n)
	_, err := io.ReadFull(r, p)
	return head[0], p, err
}

// frames writes frames to one connection from the command's several
// writers.
type frames struct {
	mu sync.Mutex
	w  io.Writer
}

func (f *frames) send(kind byte, p []byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for first := true; first || len(p) > 0; first = false {
		chunk := p[:min(len(p), maxFrame)]
		p = p[len(chunk):]
		var head [5]byte
		head[0] = kind
		binary.BigEndian.PutUint32(head[1:], uint32(len(chunk)))
		if _, err := f.w.Write(head[:]); err != nil {
			return err
		}
		if _, err := f.w.Write(chunk); err != nil {
			return err
		}
	}
	return nil
}

// frameWriter is an io.Writer whose bytes go out as frames of one kind.
type frameWriter struct {
	f    *frames
	kind byte
}

func (w frameWriter) Write(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if err := w.f.send(w.kind, p); err != nil {
		return 0, err
	}
	return len(p), nil
}

func (frameWriter) Close() error { return nil }

// readServer answers read commands on a Unix socket from the bot's open
// store. Each command runs in its own read transactions, as it would
// against the file.
type readServer struct {
	ln  net.Listener
	db  viewer
	cfg func() *config.Config
	log *logrus.Logger
	now func() time.Time
	wg  sync.WaitGroup
}

// listenReads makes the socket at path, readable and writable by the bot's
// user only (the database's own permissions). A file left there by a bot
// that crashed is replaced: the caller holds the database's lock, so no
// other bot serves it.
func listenReads(path string) (net.Listener, error) {
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("remove stale socket %s: %w", path, err)
	}
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("read socket %s: %w", path, err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		_ = ln.Close()
		return nil, fmt.Errorf("read socket %s: %w", path, err)
	}
	return ln, nil
}

// Serve answers until ctx ends, then waits for the commands in flight and
// removes the socket.
func (s *readServer) Serve(ctx context.Context) error {
	stop := context.AfterFunc(ctx, func() { _ = s.ln.Close() })
	defer stop()
	defer s.wg.Wait()
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				return nil
			}
			return fmt.Errorf("read socket: %w", err)
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.handle(ctx, conn)
		}()
	}
}

func (s *readServer) handle(ctx context.Context, conn net.Conn) {
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(readRequestTimeout))
	out := &frames{w: conn}
	exit := func(st exitStatus) { raw, _ := json.Marshal(st); _ = out.send(frameExit, raw) }
	if !sameUser(conn) {
		s.log.Warn("read socket: refused a connection from another user")
		exit(exitStatus{Error: "refused: only the user running the bot may use its socket"})
		return
	}
	var req readRequest
	if err := json.NewDecoder(io.LimitReader(conn, maxRequest)).Decode(&req); err != nil {
		exit(exitStatus{Error: "bad request: " + err.Error()})
		return
	}
	cmd, ok := readCommands[req.Command]
	if !ok {
		exit(exitStatus{Error: fmt.Sprintf("the bot serves no command %q", req.Command)})
		return
	}
	log := s.log.WithField("command", req.Command)
	rc := readCtx{cfg: s.cfg(), db: s.db, stdout: frameWriter{out, frameStdout}, stderr: frameWriter{out, frameStderr}, now: s.now,
		create: func(path string) (io.WriteCloser, error) {
			if err := out.send(frameFile, []byte(path)); err != nil {
				return nil, err
			}
			return frameWriter{out, frameData}, nil
		}}
	err := func() (err error) {
		// A panicking command costs its caller an error, not the bot.
		defer func() {
			if r := recover(); r != nil {
				log.WithField("panic", r).Error("read command panicked")
				err = fmt.Errorf("the bot failed to run %s (see its log)", req.Command)
			}
		}()
		return cmd(ctx, rc, req.Args)
	}()
	switch {
	case errors.Is(err, errUsage):
		exit(exitStatus{Usage: true})
	case err != nil:
		log.WithError(err).Info("read command failed")
		exit(exitStatus{Error: err.Error()})
	default:
		log.Debug("read command served")
		exit(exitStatus{})
	}
}
