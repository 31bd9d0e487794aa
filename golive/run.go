package golive

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"flinks-onboard/flinks"
)

// Defaults of ChecklistOptions.
const (
	DefaultCheckTimeout     = 90 * time.Second
	DefaultCheckConcurrency = 4
	DefaultDeleteRetryDelay = 2 * time.Second
	// deleteAttempts bounds the DeleteCard retries on CARD_IN_USE: Flinks documents no processing time, and the
	// test users finish within seconds, so a handful of waits separates "still processing" from "refused".
	deleteAttempts = 5
)

// ChecklistOptions say what to verify and how.
type ChecklistOptions struct {
	Env     flinks.Environment
	Creds   flinks.Credentials
	Product flinks.Product // default ProductConnect

	// ClientOptions configure every client the checks create (e.g. WithPollTimeout, WithHTTPClient). Do not pass
	// WithRecorder here: use Recorder, since each check needs its own recorder to collect its evidence.
	ClientOptions []flinks.Option
	// Recorder also receives every exchange, e.g. the Activity log.
	Recorder flinks.Recorder
	// Connect are the Connect parameters the integration uses; nil checks the app's DefaultConnectOptions.
	Connect *flinks.ConnectOptions
	// Vault is where loginIds are kept; nil skips the keychain item.
	Vault LoginVault
	// KeepLoginIDs are loginIds the checklist must never delete (the saved logins; onboard fills it). The
	// DeleteCard check deletes only a login it created itself, and never one of these.
	KeepLoginIDs []string
	// DataProducts are the optional products the integration uses (attributes, statements, scheduled refresh,
	// webhooks): their items run; the others are not applicable and never block "ready". Default none.
	DataProducts []DataProduct
	// WebhookSender makes the environment deliver a signed webhook to this computer; only a simulator can
	// (onboard fills it for the offline demo and a simulator on the loopback). nil: the webhook item is not
	// applicable here.
	WebhookSender WebhookSender
	// Backend is the base URL of the integrator's own back end (`verify --backend`), e.g. http://127.0.0.1:8080:
	// the group "Your back end" checks its routes as docs/backend.md names them (golive/backend.go). "" leaves the
	// group out. ValidateBackendURL says what it may be.
	Backend string
	// BackendWebhookSecret signs the webhooks sent to Backend: the secret the back end verifies with
	// ($FLINKS_WEBHOOK_SECRET on the command line). It is redacted from the results.
	BackendWebhookSecret string
	// Manual is the saved state of the manual items, keyed by item ID.
	Manual map[string]ManualCheck

	Timeout          time.Duration // per check; default DefaultCheckTimeout
	Concurrency      int           // checks running at once; default DefaultCheckConcurrency
	DeleteRetryDelay time.Duration // wait before retrying a DeleteCard refused with CARD_IN_USE
	AppVersion       string
	// Clock is the checklist's own waiting (the DeleteCard retry); default the system clock. Tests pass a fake one
	// so they do not sleep through real retry delays. Pass flinks.WithClock in ClientOptions for the clients' polls.
	Clock flinks.Clock

	// Progress receives each automatic item when it starts (StatusRunning) and when it finishes. Calls never
	// overlap, but they come from the checks' goroutines: a GUI must hop to its own thread.
	Progress func(ItemResult)
}

func (o ChecklistOptions) withDefaults() ChecklistOptions {
	if o.Product == "" {
		o.Product = flinks.ProductConnect
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultCheckTimeout
	}
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultCheckConcurrency
	}
	if o.DeleteRetryDelay <= 0 {
		o.DeleteRetryDelay = DefaultDeleteRetryDelay
	}
	if o.Clock == nil {
		o.Clock = flinks.SystemClock()
	}
	return o
}

// RunChecklist runs every automatic check of the checklist against opts.Env and returns the report, manual items
// included as opts.Manual has them. Independent checks run concurrently, each within opts.Timeout; a failing check
// never stops the others. Cancelling ctx stops the checks still running; they are reported failed.
func RunChecklist(ctx context.Context, opts ChecklistOptions) Report {
	opts = opts.withDefaults()
	start := time.Now()
	rep := NewReport(opts)
	progress := serialized(opts.Progress)

	finished := map[string]chan struct{}{}
	var results sync.Map // item ID → ItemResult
	for _, it := range rep.Items() {
		finished[it.ID] = make(chan struct{})
		if it.Kind != CheckAutomatic {
			close(finished[it.ID])
		}
	}
	slots := make(chan struct{}, opts.Concurrency)
	var wg sync.WaitGroup
	for _, it := range rep.Items() {
		if it.Kind != CheckAutomatic {
			continue
		}
		def, _ := findDefinition(it.ID)
		wg.Go(func() {
			defer close(finished[it.ID])
			// Wait for the checks this one must follow (without holding a slot, so they can run), then for a slot.
			for _, dep := range def.after {
				if ch, ok := finished[dep]; ok {
					select {
					case <-ch:
					case <-ctx.Done():
					}
				}
			}
			select {
			case slots <- struct{}{}:
				defer func() { <-slots }()
			case <-ctx.Done():
			}
			results.Store(it.ID, runItem(ctx, opts, def, it.Item, progress))
		})
	}
	wg.Wait()
	results.Range(func(_, v any) bool {
		rep.Update(v.(ItemResult))
		return true
	})
	rep.DurationMs = time.Since(start).Milliseconds()
	return rep
}

// RunCheck runs one automatic item (the GUI's "run again"), ignoring the order RunChecklist keeps between checks.
func RunCheck(ctx context.Context, opts ChecklistOptions, itemID string) (ItemResult, error) {
	opts = opts.withDefaults()
	def, ok := findDefinition(itemID)
	if !ok || !def.appliesTo(opts) {
		return ItemResult{}, fmt.Errorf("there is no checklist item %q for %s", itemID, GuideFor(opts.Product).Name)
	}
	it := def.item(opts)
	if it.Kind != CheckAutomatic {
		return ItemResult{}, fmt.Errorf("%q is a %s item in %s: it cannot be run, only ticked", itemID, it.Kind, opts.Env.Name)
	}
	return runItem(ctx, opts, def, it, serialized(opts.Progress)), nil
}

// serialized makes sure progress calls from concurrent checks never overlap.
func serialized(progress func(ItemResult)) func(ItemResult) {
	if progress == nil {
		return func(ItemResult) {}
	}
	var mu sync.Mutex
	return func(r ItemResult) {
		mu.Lock()
		defer mu.Unlock()
		progress(r)
	}
}

// runItem runs one check within its own timeout and turns what happened into a redacted result.
func runItem(ctx context.Context, opts ChecklistOptions, def definition, it Item, progress func(ItemResult)) ItemResult {
	r := &checkRun{opts: opts, item: it}
	res := ItemResult{Item: it, Status: StatusRunning, Started: time.Now()}
	progress(res)
	summary, err := r.run(ctx, def.run)
	res.DurationMs = time.Since(res.Started).Milliseconds()
	res.Evidence, res.Note = r.collected()
	var skip *skipError
	var warn *warning
	switch {
	case errors.As(err, &skip):
		res.Status, res.Summary = StatusSkipped, skip.reason
	case errors.As(err, &warn):
		res.Status, res.Summary, res.Hint = StatusWarning, warn.msg, warn.hint
	case err != nil:
		res.Status, res.Summary = StatusFailed, r.sayFailure(err)
		res.FlinksCode, res.Hint = explainFailure(err, res.Evidence)
	default:
		res.Status, res.Summary = StatusPassed, summary
	}
	res.SummaryID, res.SummaryArgs = r.wordingOf(res.Summary)
	res.HintID, res.HintArgs = r.wordingOf(res.Hint)
	res.NoteID, res.NoteArgs = r.wordingOf(res.Note)
	res = res.redacted(r.secrets())
	progress(res)
	return res
}

// checkRun is the state of one running check: its clients' evidence and the secrets it met.
type checkRun struct {
	opts ChecklistOptions
	item Item

	mu       sync.Mutex
	evidence []Evidence
	seen     []string // loginIds and tokens met while checking, redacted from the result
	note     string
	worded   []wording
}

// wording is a text a check said with a stable id and the values it put in (ItemResult.SummaryID).
type wording struct {
	id, text string
	args     []string
}

// say words a text of the check (a summary, a hint, a note) from format and args, and remembers its id and values
// so the result can carry them where the text ends up (ui/texts_golive.go words each id).
func (r *checkRun) say(id, format string, args ...any) string {
	w := wording{id: id, text: fmt.Sprintf(format, args...)}
	for _, a := range args {
		w.args = append(w.args, fmt.Sprint(a))
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.worded = append(r.worded, w)
	return w.text
}

// sayFailure is the text of a failed check: the error's own. When the error is Flinks' answer with a message, it
// is said with an id too, so a translation words it around Flinks' message, which stays as Flinks wrote it.
func (r *checkRun) sayFailure(err error) string {
	text := err.Error()
	apiErr, ok := errors.AsType[*flinks.APIError](err)
	if !ok || apiErr.Endpoint == "" || apiErr.Message == "" {
		return text
	}
	answer := strings.TrimSpace(fmt.Sprintf("%d %s %s", apiErr.HTTPStatus, http.StatusText(apiErr.HTTPStatus), apiErr.FlinksCode))
	requestID := ""
	if apiErr.RequestID != "" {
		requestID = " (RequestId " + apiErr.RequestID + ")"
	}
	w := wording{id: "summary.error.api", args: []string{apiErr.Endpoint, answer, apiErr.Message, requestID}}
	if w.text = fmt.Sprintf("%s: Flinks answered %s: %s%s", apiErr.Endpoint, answer, apiErr.Message, requestID); w.text != text {
		return text // wrapped in more words than Flinks' answer: those have no id
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.worded = append(r.worded, w)
	return text
}

// wordingOf is the id and values of text if the check said it with say, else "".
func (r *checkRun) wordingOf(text string) (id string, args []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, w := range slices.Backward(r.worded) {
		if text != "" && w.text == text {
			return w.id, slices.Clone(w.args)
		}
	}
	return "", nil
}

// run calls check with the item's timeout and turns a panic into a failure, so one broken check cannot take the
// others down.
func (r *checkRun) run(ctx context.Context, check checkFunc) (summary string, err error) {
	ctx, cancel := context.WithTimeout(ctx, r.opts.Timeout)
	defer cancel()
	defer func() {
		if p := recover(); p != nil {
			err = &checkFailure{msg: fmt.Sprintf("the check crashed: %v", p), hint: "This is a bug in the app: please report it with this message."}
		}
	}()
	summary, err = check(ctx, r)
	switch {
	case err == nil || !errors.Is(ctx.Err(), context.DeadlineExceeded):
	case flinks.ErrorCode(err) != "":
		// Flinks' last answer explains the failure better than the clock does.
		err = fmt.Errorf("the check ran out of time (%s); Flinks' last answer: %w", r.opts.Timeout, err)
	default:
		err = &checkFailure{msg: fmt.Sprintf("the check did not finish within %s (%v)", r.opts.Timeout, err),
			hint: "Flinks or the network is too slow right now, or the instance does not answer. Try again, or raise the timeout (--timeout)."}
	}
	return summary, err
}

// Record keeps an exchange as evidence and passes it on to the caller's recorder. The error text is kept only when
// there was no HTTP answer: otherwise the status and FlinksCode say it, and the item's summary quotes Flinks' message.
func (r *checkRun) Record(e flinks.Exchange) {
	ev := Evidence{Method: e.Method, URL: e.URL, HTTPStatus: e.Status, FlinksCode: e.FlinksCode,
		RequestID: e.RequestID, DurationMs: e.Duration.Milliseconds()}
	if e.Status == 0 {
		ev.Error = e.Err
	}
	r.addEvidence(ev)
	if r.opts.Recorder != nil {
		r.opts.Recorder.Record(e)
	}
}

func (r *checkRun) addEvidence(e Evidence) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.evidence = append(r.evidence, e)
}

// secret remembers a value (a loginId, a token) that must not appear in the result.
func (r *checkRun) secret(values ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seen = append(r.seen, values...)
}

func (r *checkRun) setNote(note string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.note = note
}

func (r *checkRun) collected() ([]Evidence, string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.evidence), r.note
}

func (r *checkRun) secrets() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string{r.opts.Creds.SecretKey, r.opts.Creds.APIKey, r.opts.BackendWebhookSecret}, r.seen...)
}

// client is a Flinks client whose exchanges become this check's evidence. The poll timeout defaults to three
// quarters of the check's timeout, so a wait that never ends fails with the poll's own explanation (RequestId, last
// answer) rather than a bare deadline.
func (r *checkRun) client() (*flinks.Client, error) {
	return flinks.NewClient(r.opts.Env, r.opts.Creds, r.clientOptions()...)
}

// clientOptions are the options of every client of this check, its recorder included.
func (r *checkRun) clientOptions() []flinks.Option {
	opts := append([]flinks.Option{flinks.WithPollTimeout(r.opts.Timeout * 3 / 4)}, r.opts.ClientOptions...)
	return append(opts, flinks.WithRecorder(r))
}

// checkFailure is a check that ran and found a problem that is not a Flinks error: hint says what to do.
type checkFailure struct {
	msg, code, hint string
}

func (f *checkFailure) Error() string { return f.msg }

// warning is a check that ran and found behaviour to read rather than a failure (StatusWarning): msg says what and
// why, hint what to do.
type warning struct{ msg, hint string }

func (w *warning) Error() string { return w.msg }

// skipError is a check that could not run here; it is not a failure of the integration, but it is not a pass.
type skipError struct{ reason string }

func (s *skipError) Error() string { return s.reason }

// explainFailure finds the Flinks code behind a failure and what it means for the person.
func explainFailure(err error, evidence []Evidence) (code, hint string) {
	var failure *checkFailure
	var transport *flinks.TransportError
	switch {
	case errors.As(err, &failure):
		return failure.code, cmp.Or(failure.hint, flinks.Hint(failure.code))
	case flinks.ErrorCode(err) != "":
		code = flinks.ErrorCode(err)
		return code, cmp.Or(flinks.Hint(code), "Flinks answered "+code+", which its documentation does not explain; send the RequestId in the evidence to Flinks support.")
	case errors.Is(err, flinks.ErrPollTimeout):
		for _, e := range slices.Backward(evidence) {
			if e.FlinksCode != "" {
				code = e.FlinksCode
				break
			}
		}
		return code, "Flinks kept answering 202 (still processing) until the wait ran out: the data never became ready. The test users finish within seconds, so if this repeats, send the RequestId in the evidence to Flinks support."
	case errors.As(err, &transport):
		return "", "Check the network, the proxy, and the environment's instance name or API URL."
	case errors.Is(err, flinks.ErrNoSecretKey), errors.Is(err, flinks.ErrNoAPIKey):
		return "", "Set the environment's keys (Environment screen, or $FLINKS_SECRET_KEY and $FLINKS_API_KEY on the command line)."
	}
	return "", ""
}

// redacted runs every text of the result through Redact with the check's secrets, into new slices: the result it
// is called on may be read at the same time (the checklist keeps it while the app's live report gets a copy).
func (res ItemResult) redacted(secrets []string) ItemResult {
	clean := func(s string) string { return flinks.Redact(s, secrets...) }
	res.Summary, res.Hint, res.Note, res.How = clean(res.Summary), clean(res.Hint), clean(res.Note), clean(res.How)
	cleanAll := func(args []string) []string {
		args = slices.Clone(args)
		for i, a := range args {
			args[i] = clean(a)
		}
		return args
	}
	res.SummaryArgs, res.HintArgs, res.NoteArgs = cleanAll(res.SummaryArgs), cleanAll(res.HintArgs), cleanAll(res.NoteArgs)
	res.Evidence = slices.Clone(res.Evidence)
	for i, e := range res.Evidence {
		res.Evidence[i].URL, res.Evidence[i].Error = clean(e.URL), clean(e.Error)
	}
	return res
}
