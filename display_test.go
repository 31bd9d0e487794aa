package main

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestDisplayProblem(t *testing.T) {
	refused := errors.New("dial unix /tmp/.X11-unix/X7: connect: connection refused")
	tests := []struct {
		name     string
		goos     string
		env      map[string]string
		dialErr  error
		wantDial bool     // whether the X server is probed
		want     []string // substrings of the message; nil: no message
	}{
		{name: "linux without any display", goos: "linux",
			want: []string{"neither DISPLAY nor WAYLAND_DISPLAY is set", "flinks-onboard help", "xvfb-run -a flinks-onboard", "ssh -X"}},
		{name: "freebsd without any display", goos: "freebsd",
			want: []string{"neither DISPLAY nor WAYLAND_DISPLAY is set"}},
		{name: "empty values count as unset", goos: "linux", env: map[string]string{"DISPLAY": "", "WAYLAND_DISPLAY": ""},
			want: []string{"neither DISPLAY nor WAYLAND_DISPLAY"}},
		{name: "local X server reachable", goos: "linux", env: map[string]string{"DISPLAY": ":0"}, wantDial: true},
		{name: "local X server unreachable", goos: "linux", env: map[string]string{"DISPLAY": ":7.0"},
			dialErr: refused, wantDial: true,
			want: []string{"DISPLAY is :7.0", "cannot be reached", "connection refused", "flinks-onboard help", "xvfb-run -a"}},
		{name: "unix:N is local", goos: "openbsd", env: map[string]string{"DISPLAY": "unix:7"},
			dialErr: refused, wantDial: true, want: []string{"cannot be reached"}},
		{name: "remote display (ssh -X) is not probed", goos: "linux", env: map[string]string{"DISPLAY": "localhost:10.0"},
			dialErr: refused},
		{name: "unparsable display is left to Xlib", goos: "linux", env: map[string]string{"DISPLAY": "nonsense"},
			dialErr: refused},
		{name: "wayland only", goos: "linux", env: map[string]string{"WAYLAND_DISPLAY": "wayland-0"}, dialErr: refused},
		{name: "wayland with an unreachable X server", goos: "linux",
			env:     map[string]string{"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":7"},
			dialErr: refused, wantDial: true, want: []string{"cannot be reached"}},
		{name: "macOS never checks", goos: "darwin"},
		{name: "windows never checks", goos: "windows"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dialed := false
			dial := func([]xAddr) error { dialed = true; return tt.dialErr }
			got := displayProblem(tt.goos, func(k string) string { return tt.env[k] }, dial, "flinks-onboard")
			if dialed != tt.wantDial {
				t.Errorf("dialed = %v, want %v", dialed, tt.wantDial)
			}
			if tt.want == nil {
				if got != "" {
					t.Errorf("message = %q, want none", got)
				}
				return
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("message %q does not contain %q", got, w)
				}
			}
			if n := strings.Count(got, "\n"); n < 1 || n > 2 || !strings.HasSuffix(got, "\n") {
				t.Errorf("message is not one or two whole lines: %q", got)
			}
		})
	}
}

func TestDisplayXServerAddrs(t *testing.T) {
	x3 := []xAddr{{"unix", "@/tmp/.X11-unix/X3"}, {"unix", "/tmp/.X11-unix/X3"}, {"tcp", "localhost:6003"}}
	tests := map[string][]xAddr{
		":3": x3, ":3.1": x3, "unix:3": x3, "unix:3.0": x3,
		"localhost:10.0": nil, "example.com:0": nil, "[::1]:0": nil, "::1:0": nil,
		"": nil, ":": nil, ":x": nil, ":-1": nil, ":70000": nil, "/private/tmp/com.apple.launchd.x/org.xquartz:0": nil,
	}
	for display, want := range tests {
		if got := xServerAddrs(display); !reflect.DeepEqual(got, want) {
			t.Errorf("xServerAddrs(%q) = %v, want %v", display, got, want)
		}
	}
}

// TestDisplayDialX checks the real dialer against a socket file: a listener is found, a missing one is named.
func TestDisplayDialX(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "X0")
	if err := dialX([]xAddr{{"unix", sock}}); err == nil || !strings.Contains(err.Error(), sock) {
		t.Errorf("dialX with nothing listening = %v, want an error naming %s", err, sock)
	}
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Skip("cannot listen on a unix socket here:", err)
	}
	defer l.Close()
	start := time.Now()
	if err := dialX([]xAddr{{"unix", "@" + sock + "-none"}, {"unix", sock}}); err != nil {
		t.Errorf("dialX with a listener = %v", err)
	}
	if d := time.Since(start); d > 2*xDialTimeout {
		t.Errorf("dialX took %v", d)
	}
	_ = os.Remove(sock)
}
