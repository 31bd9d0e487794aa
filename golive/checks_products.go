package golive

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"flinks-onboard/flinks"
	"flinks-onboard/webhook"
)

// The optional items of the data products after the loginId (docs/flinks-contract.md: "Enrichment: attributes",
// "Statements", "Scheduled refresh", "Webhooks"). The guide makes them optional ("(Optionally) Choose data
// enrichment add-ons…"), so each runs only when the integrator says the integration uses the product
// (ChecklistOptions.DataProducts); otherwise it is not applicable and never blocks "ready". Each logs in the test
// user greatday_nomfa directly, like the other checks, and never touches a saved login.

// DataProduct is an optional product the integration uses after the loginId.
type DataProduct string

const (
	DataAttributes DataProduct = "attributes"
	DataStatements DataProduct = "statements"
	DataRefresh    DataProduct = "refresh"
	DataWebhooks   DataProduct = "webhooks"
)

// DataProducts lists the optional products in the checklist's order.
var DataProducts = []DataProduct{DataAttributes, DataStatements, DataRefresh, DataWebhooks}

// ParseDataProducts reads a comma-separated list of products (attributes, statements, refresh, webhooks; "all"
// for every one, "" or "none" for none), without duplicates, in the checklist's order.
func ParseDataProducts(s string) ([]DataProduct, error) {
	chosen := map[DataProduct]bool{}
	for _, f := range strings.Split(s, ",") {
		f = strings.ToLower(strings.TrimSpace(f))
		switch f {
		case "", "none":
			continue
		case "all":
			for _, p := range DataProducts {
				chosen[p] = true
			}
			continue
		}
		known := false
		for _, p := range DataProducts {
			if f == string(p) {
				chosen[p], known = true, true
			}
		}
		if !known {
			return nil, fmt.Errorf("unknown product %q: choose among attributes, statements, refresh, webhooks (or all)", flinks.Clip(f, 40))
		}
	}
	var out []DataProduct
	for _, p := range DataProducts {
		if chosen[p] {
			out = append(out, p)
		}
	}
	return out, nil
}

// WebhookSender makes the environment deliver the webhook of requestID's data to url, signed with secret, and
// returns once the delivery was attempted. Only a simulator can reach this computer: the front ends' use cases
// (onboard) hand in the one flinks/simulator/demo builds for the offline demo or a simulator on the loopback;
// Flinks' sandboxes cannot.
type WebhookSender func(ctx context.Context, requestID, url, secret string) error

// The sentences put before an optional item's how-to where it does not run (ui/texts.go words them too).
const (
	howNotChosen         = "Optional: checked only if your integration uses this product (choose it before running the checklist, or verify --products). "
	howNoWebhookDelivery = "Flinks' sandbox cannot deliver webhooks to this computer; test your receiver with `flinks-onboard simulate --webhook-url`. "
)

// productDefinitions are the optional items, placed in the guide's enrichment and "receive the data" steps.
var productDefinitions = []definition{
	{id: "products.attributes", title: "(Optional) Attributes answer for a test login", kind: CheckAutomatic,
		how:   "Log in greatday_nomfa, fetch its accounts with transactions (GetAccountsDetail), then ask Flinks Enrich for the income attributes on the same RequestId, waiting while it answers 202, and check they carry values.",
		where: placement{connect: "connect-enrichment", custom: "custom-retrieve-data", fallback: "testing"},
		run:   checkAttributes, production: productionNotApplicable, optional: DataAttributes},
	{id: "products.statements", title: "(Optional) Statements download and are PDFs", kind: CheckAutomatic,
		how:   "Log in greatday_nomfa, /Authorize its loginId (cached), call GetStatements for the most recent statements, and check each Base64 file decodes to a PDF (%PDF-).",
		where: placement{connect: "connect-receive-data", custom: "custom-retrieve-data", fallback: "testing"},
		run:   checkStatements, production: productionNotApplicable, optional: DataStatements},
	{id: "products.refresh", title: "(Optional) Scheduled refresh turns on and off", kind: CheckAutomatic,
		how:   "Log in greatday_nomfa, turn its scheduled (nightly) refresh on with SetScheduledRefresh and read it back from a cached /Authorize, then turn it off and read it back again; a refresh that was on is left on.",
		where: placement{connect: "connect-receive-data", custom: "custom-retrieve-data", fallback: "testing"},
		run:   checkScheduledRefresh, production: productionNotApplicable, optional: DataRefresh},
	{id: "products.webhooks", title: "(Optional) A webhook's signature verifies", kind: CheckAutomatic,
		how:   "Receive on 127.0.0.1 the webhook the offline demo sends for a login of greatday_nomfa, signed with a secret made up for the check, verify its HMAC-SHA256 signature as your back end must, and check a changed body is refused.",
		where: placement{connect: "connect-receive-data", custom: "custom-retrieve-data", fallback: "testing"},
		run:   checkWebhook, production: productionNotApplicable, optional: DataWebhooks},
}

func checkAttributes(ctx context.Context, r *checkRun) (string, error) {
	c, loginID, err := r.clientWithTestLogin(ctx)
	if err != nil {
		return "", err
	}
	detail, err := flinks.FetchAccounts(ctx, c, flinks.FetchRequest{LoginID: loginID, WithTransactions: true,
		Days: flinks.Days365}, nil, nil)
	if err != nil {
		return "", err
	}
	attrs, err := c.GetAttributes(ctx, flinks.AttributesRequest{LoginID: loginID, RequestID: detail.RequestId,
		Set: flinks.AttributesIncome}, nil)
	if err != nil {
		return "", fmt.Errorf("asking the income attributes: %w", err)
	}
	withValue := 0
	for _, a := range attrs.Card.Values {
		if v := strings.TrimSpace(string(a.Value)); v != "" && v != "null" {
			withValue++
		}
	}
	if withValue == 0 {
		return "", &checkFailure{msg: "GetIncomeAttributes answered without any value",
			hint: r.say("hint.products.attributes.no-value", "Attributes are an add-on Flinks switches on per instance: ask your Flinks representative, and send the RequestId in the evidence.")}
	}
	accounts, transactions := accountsCount(detail)
	return r.say("summary.products.attributes", "GetIncomeAttributes answered %d attributes, %d with a value, computed from %d accounts, %d transactions (RequestId %s)",
		len(attrs.Card.Values), withValue, accounts, transactions, detail.RequestId), nil
}

func checkStatements(ctx context.Context, r *checkRun) (string, error) {
	c, loginID, err := r.clientWithTestLogin(ctx)
	if err != nil {
		return "", err
	}
	res, err := flinks.RunAuthorize(ctx, c, flinks.AuthorizeRequest{LoginID: loginID}, nil, nil)
	if err != nil {
		return "", err
	}
	st, err := c.GetStatements(ctx, flinks.StatementsRequest{RequestID: res.RequestID(), Period: flinks.StatementsMostRecent}, nil)
	if err != nil {
		return "", fmt.Errorf("downloading the statements: %w", err)
	}
	files, size := 0, 0
	for _, acct := range st.StatementsByAccount {
		for _, s := range acct.Statements {
			pdf, err := s.PDF()
			if err != nil {
				return "", &checkFailure{msg: fmt.Sprintf("a statement of account %s is not a PDF: %v",
					flinks.Account{AccountNumber: acct.AccountNumber}.MaskedNumber(), err),
					hint: r.say("hint.products.statements.not-pdf", "GetStatements must answer each statement as the Base64 of a PDF file: send the RequestId in the evidence to Flinks support.")}
			}
			files, size = files+1, size+len(pdf)
		}
	}
	if files == 0 {
		return "", &checkFailure{msg: "GetStatements answered without any statement",
			hint: r.say("hint.products.statements.none", "Statements are switched on per instance (Canada only) and need Connect's detailsAndStatementEnable=true: ask your Flinks representative.")}
	}
	return r.say("summary.products.statements", "GetStatements answered %d PDF statements (%d bytes) for %d accounts (RequestId %s)",
		files, size, len(st.StatementsByAccount), res.RequestID()), nil
}

// checkScheduledRefresh switches the refresh of the test user's login away from where it was and back, reading it
// back each time, so it leaves the login as it found it.
func checkScheduledRefresh(ctx context.Context, r *checkRun) (string, error) {
	c, loginID, err := r.clientWithTestLogin(ctx)
	if err != nil {
		return "", err
	}
	readBack := func() (bool, error) {
		res, err := flinks.RunAuthorize(ctx, c, flinks.AuthorizeRequest{LoginID: loginID}, nil, nil)
		if err != nil {
			return false, fmt.Errorf("reading the scheduled refresh back: %w", err)
		}
		return res.Response.Login != nil && res.Response.Login.IsScheduledRefresh, nil
	}
	initial, err := readBack()
	if err != nil {
		return "", err
	}
	var steps []string
	for _, on := range []bool{!initial, initial} {
		if _, err := c.SetScheduledRefresh(ctx, loginID, on); err != nil {
			return "", fmt.Errorf("turning the scheduled refresh %s: %w", onOff(on), err)
		}
		got, err := readBack()
		if err != nil {
			return "", err
		}
		if got != on {
			return "", &checkFailure{msg: fmt.Sprintf("SetScheduledRefresh turned the refresh %s, but a cached /Authorize reads it %s", onOff(on), onOff(got)),
				hint: r.say("hint.products.refresh.mismatch", "Scheduled refresh is switched on per instance: ask your Flinks representative, and send the RequestIds in the evidence.")}
		}
		steps = append(steps, "turned "+onOff(on)+", read back "+onOff(got))
	}
	english := "scheduled refresh " + strings.Join(steps, "; ")
	if initial {
		return r.say("summary.products.refresh.was-on", "%s", english), nil
	}
	return r.say("summary.products.refresh.was-off", "%s", english), nil
}

func onOff(on bool) string {
	if on {
		return "on"
	}
	return "off"
}

// webhookWait bounds the wait for the demo's delivery within the check's own timeout.
const webhookWait = 30 * time.Second

// received is one request the check's receiver got: the raw body, as a back end must verify it.
type received struct {
	body   []byte
	header http.Header
}

func checkWebhook(ctx context.Context, r *checkRun) (string, error) {
	send := r.opts.WebhookSender
	if send == nil {
		return "", &skipError{r.say("summary.products.webhooks.no-delivery", "%s", strings.TrimSpace(howNoWebhookDelivery))}
	}
	c, err := r.client()
	if err != nil {
		return "", err
	}
	_, requestID, err := loginTestUser(ctx, r, c, userNoMFA, nil)
	if err != nil {
		return "", err
	}
	secret := "golive-" + flinks.NewUUID()
	r.secret(secret)
	got := make(chan received, 4)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("cannot receive on 127.0.0.1: %w", err)
	}
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, err := io.ReadAll(io.LimitReader(req.Body, webhook.MaxBody))
		if err != nil || req.Method != http.MethodPost {
			http.Error(w, "not a webhook", http.StatusBadRequest)
			return
		}
		select {
		case got <- received{body: body, header: req.Header.Clone()}:
		default:
		}
	})}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	url := "http://" + ln.Addr().String() + webhook.Path

	waitCtx, cancel := context.WithTimeout(ctx, webhookWait)
	defer cancel()
	if err := send(waitCtx, requestID, url, secret); err != nil {
		return "", fmt.Errorf("the offline demo did not send the webhook: %w", err)
	}
	var d received
	select {
	case d = <-got:
	case <-waitCtx.Done():
		return "", &checkFailure{msg: fmt.Sprintf("no webhook arrived within %s", webhookWait),
			hint: r.say("hint.products.webhooks.none", "The offline demo delivers once the data is ready; run the check again.")}
	}
	sig := webhook.SignatureOf(d.header)
	if err := webhook.Verify(d.body, sig, secret); err != nil {
		return "", &checkFailure{msg: "the webhook's signature does not verify: " + err.Error(),
			hint: r.say("hint.products.webhooks.signature", "Verify the HMAC-SHA256 of the raw body (Base64) under the secret, from the flinks-authenticity-key or X-Flinks-Signature header.")}
	}
	tampered := bytes.Replace(d.body, []byte(`"`), []byte(` "`), 1)
	if err := webhook.Verify(tampered, sig, secret); !errors.Is(err, webhook.ErrBadSignature) {
		return "", &checkFailure{msg: "a changed webhook body still verified",
			hint: r.say("hint.bug", "This is a bug in the app: please report it.")}
	}
	sum, err := webhook.Summarize(d.body)
	if err != nil {
		return "", &checkFailure{msg: "the webhook's body is not the documented payload: " + err.Error(),
			hint: r.say("hint.products.webhooks.payload", "A webhook carries the GetAccountsDetail payload with ResponseType; send the RequestId to Flinks support.")}
	}
	if sum.RequestID != requestID {
		return "", &checkFailure{msg: fmt.Sprintf("the webhook carries RequestId %s, not the login's %s", sum.RequestID, requestID),
			hint: r.say("hint.products.webhooks.request-id", "A webhook must carry the RequestId of the data it delivers.")}
	}
	return r.say("summary.products.webhooks", "received a %d-byte %s webhook (%d accounts, %d transactions) for RequestId %s on 127.0.0.1; its signature verifies and a changed body is refused",
		len(d.body), sum.ResponseType, sum.Accounts, sum.Transactions, requestID), nil
}
