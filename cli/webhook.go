package cli

import (
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/spf13/cobra"

	"flinks-onboard/webhook"
)

// newWebhookCmd groups the two halves an integrator needs to test a webhook receiver offline: a listener that
// verifies what `simulate --webhook-url` delivers, and a check of one payload by hand.
func newWebhookCmd(d *Deps) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "webhook listen|verify",
		Short: "receive and verify Flinks webhooks (HMAC-SHA256 signatures)",
		Long: "Flinks signs each webhook with HMAC-SHA256 of the raw body under the secret it gives you, Base64-encoded, " +
			"in the header flinks-authenticity-key (also documented as X-Flinks-Signature; both are accepted). The secret " +
			"is read from $" + webhook.SecretEnv + ", never from the command line.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return usagef("choose listen or verify") },
	}
	cmd.AddCommand(newWebhookListenCmd(d), newWebhookVerifyCmd(d))
	return cmd
}

type webhookListenOptions struct {
	port int
	json bool
}

func newWebhookListenCmd(d *Deps) *cobra.Command {
	var opts webhookListenOptions
	cmd := command("listen [--port N] [--json]", "receive webhooks on 127.0.0.1 and check each signature",
		func(ctx context.Context) error { return runWebhookListen(ctx, d, opts) })
	cmd.Flags().IntVar(&opts.port, "port", 8471, "the port on 127.0.0.1 (0: any free port)")
	cmd.Flags().BoolVar(&opts.json, "json", false, "print each delivery as a JSON line")
	return cmd
}

// webhookLine is one delivery as `webhook listen --json` prints it.
type webhookLine struct {
	Time      string          `json:"time"`
	Valid     bool            `json:"valid"`
	Header    string          `json:"header,omitempty"`
	Error     string          `json:"error,omitempty"`
	Summary   webhook.Summary `json:"summary"`
	BodyBytes int             `json:"bodyBytes"`
	Replay    bool            `json:"replay,omitempty"` // the same body and signature as an earlier delivery
}

func runWebhookListen(ctx context.Context, d *Deps, opts webhookListenOptions) error {
	secret := d.Getenv(webhook.SecretEnv)
	if secret == "" {
		return fmt.Errorf("set %s to the webhook secret (the same as simulate --webhook-secret-env names)", webhook.SecretEnv)
	}
	var mu sync.Mutex // deliveries arrive on the server's goroutines
	l, err := webhook.Listen(opts.port, secret, func(dl webhook.Delivery) {
		mu.Lock()
		defer mu.Unlock()
		printDelivery(d.Stdout, dl, opts.json)
	})
	if err != nil {
		return err
	}
	defer l.Close()
	fmt.Fprintf(d.Stderr, "Listening for webhooks at %s; press Ctrl-C to stop.\n", l.URL())
	fmt.Fprintf(d.Stderr, "Try it offline: %s=… flinks-onboard simulate --webhook-url %s --webhook-secret-env %s\n",
		webhook.SecretEnv, l.URL(), webhook.SecretEnv)
	<-ctx.Done()
	return nil
}

func printDelivery(w io.Writer, dl webhook.Delivery, asJSON bool) {
	if asJSON {
		line := webhookLine{Time: dl.Time.Format("2006-01-02T15:04:05.000Z07:00"), Valid: dl.Valid, Header: dl.Header,
			Summary: dl.Summary, BodyBytes: dl.BodyBytes, Replay: dl.Replay}
		if dl.Err != nil {
			line.Error = dl.Err.Error()
		}
		_ = writeJSONLine(w, line)
		return
	}
	verdict := "valid signature"
	if !dl.Valid {
		verdict = "REFUSED: " + dl.Err.Error()
	} else if dl.Err != nil {
		verdict = "valid signature, but " + dl.Err.Error()
	}
	fmt.Fprintf(w, "%s  %s (%s, %d bytes): %s\n", dl.Time.Format("15:04:05"), verdict, dl.Header, dl.BodyBytes, dl.Summary)
}

type webhookVerifyOptions struct {
	body      string
	signature string
}

func newWebhookVerifyCmd(d *Deps) *cobra.Command {
	var opts webhookVerifyOptions
	cmd := command("verify --body FILE --signature SIG", "check one webhook's signature against its raw body",
		func(ctx context.Context) error { return runWebhookVerify(d, opts) })
	cmd.Flags().StringVar(&opts.body, "body", "", "the file holding the webhook's raw body, byte for byte")
	cmd.Flags().StringVar(&opts.signature, "signature", "", "the value of the flinks-authenticity-key (or X-Flinks-Signature) header")
	return cmd
}

func runWebhookVerify(d *Deps, opts webhookVerifyOptions) error {
	if opts.body == "" || opts.signature == "" {
		return usagef("give --body FILE and --signature SIG")
	}
	body, err := readSmallFile(opts.body, webhook.MaxBody, "the webhook body")
	if err != nil {
		return err
	}
	if err := webhook.Verify(body, opts.signature, d.Getenv(webhook.SecretEnv)); err != nil {
		return err
	}
	summary, err := webhook.Summarize(body)
	if err != nil {
		fmt.Fprintln(d.Stdout, "Valid signature.")
		return err
	}
	fmt.Fprintf(d.Stdout, "Valid signature: %s\n", summary)
	return nil
}
