package cli

import (
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/spf13/cobra"

	"flinks-onboard/webhook"
)

// NewCmdWebhook groups what an integrator needs to test webhooks offline: a listener that verifies what
// `simulate --webhook-url` delivers, a sender that tests their own receiver one delivery at a time, and a check of
// one payload by hand.
func NewCmdWebhook(d *Deps) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "webhook",
		Short: "receive, send and verify Flinks webhooks (HMAC-SHA256 signatures)",
		Long: "Flinks signs each webhook with HMAC-SHA256 of the raw body under the secret it gives you, Base64-encoded, " +
			"in the header flinks-authenticity-key (also documented as X-Flinks-Signature; both are accepted). The secret " +
			"is read from $" + webhook.SecretEnv + ", never from the command line.",
		Example: `  FLINKS_WEBHOOK_SECRET=whsec-test flinks-onboard webhook listen
  FLINKS_WEBHOOK_SECRET=whsec-test flinks-onboard webhook send --to http://127.0.0.1:8471/flinks/webhook --type accounts
  FLINKS_WEBHOOK_SECRET=whsec-test flinks-onboard webhook verify --body body.json --signature SIGNATURE`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return usagef("choose listen, send or verify") },
	}
	cmd.AddCommand(NewCmdWebhookListen(d, nil), NewCmdWebhookSend(d, nil), NewCmdWebhookVerify(d, nil))
	return cmd
}

// WebhookListenOptions are the options of `webhook listen`.
type WebhookListenOptions struct {
	port int
	json bool
}

// NewCmdWebhookListen builds `webhook listen`; runF, when not nil, runs instead of runWebhookListen (the flag tests).
func NewCmdWebhookListen(d *Deps, runF func(*WebhookListenOptions) error) *cobra.Command {
	opts := &WebhookListenOptions{}
	cmd := &cobra.Command{
		Use:   "listen",
		Short: "receive webhooks on 127.0.0.1 and check each signature",
		Long: `Receive webhooks on 127.0.0.1 until Ctrl-C and print each delivery: whether its signature is valid, which header
carried it, and a summary of the body (its type, accounts and transactions; for KYC, which identity fields came,
never their values). The secret comes from $` + webhook.SecretEnv + `. Point simulate --webhook-url at the URL it prints.`,
		Example: `  FLINKS_WEBHOOK_SECRET=whsec-test flinks-onboard webhook listen
  FLINKS_WEBHOOK_SECRET=whsec-test flinks-onboard webhook listen --port 0 --json`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runWebhookListen(cmd.Context(), d, *opts)
		},
	}
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

func runWebhookListen(ctx context.Context, d *Deps, opts WebhookListenOptions) error {
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

// WebhookVerifyOptions are the options of `webhook verify`.
type WebhookVerifyOptions struct {
	body      string
	signature string
}

// NewCmdWebhookVerify builds `webhook verify`; runF, when not nil, runs instead of runWebhookVerify (the flag tests).
func NewCmdWebhookVerify(d *Deps, runF func(*WebhookVerifyOptions) error) *cobra.Command {
	opts := &WebhookVerifyOptions{}
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "check one webhook's signature against its raw body",
		Long: `Check one webhook's signature against its raw body, byte for byte, under the secret in $` + webhook.SecretEnv + `,
and print a summary of the body when it is valid. The exit status is 1 when the signature does not match.`,
		Example: `  FLINKS_WEBHOOK_SECRET=whsec-test flinks-onboard webhook verify --body body.json --signature SIGNATURE`,
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.body == "" || opts.signature == "" {
				return usagef("give --body FILE and --signature SIG")
			}
			if runF != nil {
				return runF(opts)
			}
			return runWebhookVerify(d, *opts)
		},
	}
	cmd.Flags().StringVar(&opts.body, "body", "", "the file holding the webhook's raw body, byte for byte")
	cmd.Flags().StringVar(&opts.signature, "signature", "", "the value of the flinks-authenticity-key (or X-Flinks-Signature) header")
	return cmd
}

func runWebhookVerify(d *Deps, opts WebhookVerifyOptions) error {
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
