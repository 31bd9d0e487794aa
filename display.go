package main

import (
	"fmt"
	"net"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Without a display Fyne's GLFW driver prints "X11: The DISPLAY environment variable is missing", panics and dumps
// every goroutine. checkDisplay runs before Fyne starts (only when the window would open) and says instead, in two
// lines, what is missing and what to do.
//
// An X server without OpenGL (no GLX) is not detected: finding out means speaking the X protocol (the connection
// handshake with the Xauthority cookie, then QueryExtension "GLX"), which is neither quick nor safe to do before Fyne;
// and a missing libGL stops the dynamic loader before main runs, with a message that names the library.

// xDialTimeout bounds each connection attempt to the X server, so a wedged server cannot hang the start.
const xDialTimeout = 500 * time.Millisecond

// requireDisplay ends the process with status 1 and checkDisplay's message when the window would open (no command
// was given) but cannot.
func requireDisplay() {
	if len(os.Args) > 1 {
		return // a command: no window
	}
	if msg := checkDisplay(); msg != "" {
		fmt.Fprint(os.Stderr, msg)
		os.Exit(1)
	}
}

// checkDisplay returns the message to print when the window cannot open, or "" when it may.
func checkDisplay() string {
	return displayProblem(runtime.GOOS, os.Getenv, dialX, os.Args[0])
}

// displayProblem is the decision behind checkDisplay, with the system around it passed in: goos, the environment,
// dial (tries to connect to a local X server; see xServerAddrs) and prog, the command as the user typed it.
func displayProblem(goos string, getenv func(string) string, dial func([]xAddr) error, prog string) string {
	switch goos {
	case "linux", "freebsd", "openbsd", "netbsd", "dragonfly":
	default:
		return "" // macOS and Windows always have a window system
	}
	display, wayland := getenv("DISPLAY"), getenv("WAYLAND_DISPLAY")
	advice := fmt.Sprintf("The commands work without a display (%s help lists them); for the window, log in with "+
		"ssh -X or use a virtual display: xvfb-run -a %s\n", prog, prog)
	if display == "" && wayland == "" {
		return "flinks-onboard: no graphical display: neither DISPLAY nor WAYLAND_DISPLAY is set, so the window " +
			"cannot open.\n" + advice
	}
	if display == "" {
		return "" // a Wayland session without X: GLFW reports what it cannot do
	}
	addrs := xServerAddrs(display)
	if len(addrs) == 0 {
		return "" // a remote or unusual DISPLAY: not checked here (Xlib says if it cannot connect)
	}
	if err := dial(addrs); err != nil {
		return fmt.Sprintf("flinks-onboard: DISPLAY is %s but its X server cannot be reached (%v), so the window "+
			"cannot open.\n", display, err) + advice
	}
	return ""
}

// xAddr is one place a local X server listens: network "unix" or "tcp" and the address for net.Dial.
type xAddr struct{ network, address string }

// xServerAddrs lists where the X server of a local DISPLAY (":0", ":1.0", "unix:0") listens, in the order Xlib
// tries them: the abstract socket (Linux), the socket file in /tmp/.X11-unix, then TCP on localhost port 6000+n.
// It returns nil for a remote display ("host:10.0", which is what ssh -X sets) and for anything it cannot parse.
func xServerAddrs(display string) []xAddr {
	colon := strings.LastIndexByte(display, ':')
	if colon < 0 {
		return nil
	}
	host, number := display[:colon], display[colon+1:]
	if dot := strings.IndexByte(number, '.'); dot >= 0 {
		number = number[:dot] // the screen
	}
	n, err := strconv.Atoi(number)
	if err != nil || n < 0 || n > 59535 || (host != "" && host != "unix") {
		return nil
	}
	file := "/tmp/.X11-unix/X" + strconv.Itoa(n)
	return []xAddr{
		{"unix", "@" + file}, // Go's spelling of a Linux abstract socket; fails at once elsewhere
		{"unix", file},
		{"tcp", net.JoinHostPort("localhost", strconv.Itoa(6000+n))},
	}
}

// dialX connects to each address in turn and succeeds at the first that accepts a connection, which it closes
// again at once. When none does, the error is the one for the socket file, the place a user can look at.
func dialX(addrs []xAddr) error {
	var fileErr error
	for _, a := range addrs {
		conn, err := net.DialTimeout(a.network, a.address, xDialTimeout)
		if err == nil {
			return conn.Close()
		}
		if fileErr == nil || strings.HasPrefix(a.address, "/") {
			fileErr = err
		}
	}
	return fileErr
}
