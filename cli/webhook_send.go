package cli

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"flinks-onboard/webhook"
)

// WebhookSendOptions are the options of `webhook send`.
type WebhookSendOptions struct {
	to      string
	kind    string
	tag     string
	loginID string
	tamper  bool

	parsedKind webhook.Kind // set by check
}

// NewCmdWebhookSend builds `webhook send`; runF, when not nil, runs instead of runWebhookSend (the flag tests).
func NewCmdWebhookSend(d *Deps, runF func(*WebhookSendOptions) error) *cobra.Command {
	opts := &WebhookSendOptions{}
	cmd := &cobra.Command{
		Use:   "send",
		Short: "send one signed webhook to your receiver, as Flinks would",
		Long: `Send one webhook of the payload Flinks documents to any URL, signed with the secret in $` + webhook.SecretEnv + `
(HMAC-SHA256 of the raw body, Base64, in flinks-authenticity-key and X-Flinks-Signature), and print what was sent
(the loginId masked) and what the receiver answered. --type accounts is the GetAccountsDetail webhook, --type kyc
the KYC one; the loginId and RequestId are made up unless --login-id gives one (- reads it from stdin).

--tamper signs the payload, then changes its RequestId: a receiver that checks the signature refuses it.
The exit status is 1 when a signed webhook is not answered 2xx, or when a tampered one is.`,
		Example: `  FLINKS_WEBHOOK_SECRET=whsec-test flinks-onboard webhook send --to http://127.0.0.1:8080/flinks/webhook --type accounts --tag order-7
  FLINKS_WEBHOOK_SECRET=whsec-test flinks-onboard webhook send --to http://127.0.0.1:8080/flinks/webhook --type kyc
  FLINKS_WEBHOOK_SECRET=whsec-test flinks-onboard webhook send --to http://127.0.0.1:8080/flinks/webhook --type accounts --tamper`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := opts.check(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runWebhookSend(cmd.Context(), d, *opts)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&opts.to, "to", "", "the receiver's URL, e.g. http://127.0.0.1:8080/flinks/webhook")
	fs.StringVar(&opts.kind, "type", "", "the webhook: accounts (GetAccountsDetail) or kyc (KYC)")
	fs.StringVar(&opts.tag, "tag", "", "the Tag of the accounts webhook (Connect's tag parameter); none: null")
	fs.StringVar(&opts.loginID, "login-id", "", "the loginId the payload carries (default: a made-up one); - reads it from stdin")
	fs.BoolVar(&opts.tamper, "tamper", false, "send it with a signature that does not match the body: the receiver must refuse it")
	return cmd
}

// check refuses what the flags alone get wrong, with webhook's own validation.
func (opts *WebhookSendOptions) check() error {
	if opts.to == "" || opts.kind == "" {
		return usagef("give --to URL and --type accounts or kyc")
	}
	kind, err := webhook.ParseKind(opts.kind)
	if err != nil {
		return usageError{msg: err.Error()}
	}
	req := webhook.SendRequest{URL: opts.to, Kind: kind, Tag: opts.tag}
	if opts.loginID != "-" { // read from stdin when the command runs, and checked then
		req.LoginID = opts.loginID
	}
	if err := req.Validate(); err != nil {
		return usageError{msg: err.Error()}
	}
	opts.parsedKind = kind
	return nil
}

func runWebhookSend(ctx context.Context, d *Deps, opts WebhookSendOptions) error {
	secret := d.Getenv(webhook.SecretEnv)
	if secret == "" {
		return fmt.Errorf("set %s to the webhook secret your receiver verifies with (read from the environment, "+
			"never from the command line)", webhook.SecretEnv)
	}
	loginID := opts.loginID
	if loginID != "" {
		var err error
		if loginID, err = loginIDArg(d, loginID); err != nil {
			return err
		}
	}
	sent, err := webhook.Send(ctx, webhook.SendRequest{URL: opts.to, Kind: opts.parsedKind, Tag: opts.tag,
		LoginID: loginID, Tamper: opts.tamper, Secret: secret})
	if err != nil {
		return err
	}
	how := "signed in " + strings.Join(sent.Headers, " and ")
	what := "a " + sent.Kind.ResponseType() + " webhook"
	if sent.Tampered {
		what = "a tampered " + sent.Kind.ResponseType() + " webhook"
		how = "signed, then its RequestId changed, so the signature in " + strings.Join(sent.Headers, " and ") +
			" does not match"
	}
	fmt.Fprintf(d.Stdout, "Sent %s to %s (%d bytes, %s): %s\n", what, sent.URL, sent.Bytes, how, sent.Summary)
	answer := fmt.Sprintf("The receiver answered %d %s in %s", sent.Answer.Status, http.StatusText(sent.Answer.Status),
		sent.Answer.Duration.Round(time.Millisecond))
	if sent.Answer.Body != "" {
		answer += ": " + sent.Answer.Body
	}
	fmt.Fprintln(d.Stdout, answer)
	if note := sent.Note(); note != "" {
		fmt.Fprintf(d.Stdout, "Note: %s.\n", note)
	}
	if problem := sent.Problem(); problem != "" {
		return errors.New(problem)
	}
	if sent.Tampered {
		fmt.Fprintln(d.Stdout, "Refused, as it must be: the receiver checks the signature.")
	} else {
		fmt.Fprintln(d.Stdout, "Accepted, as a correctly signed webhook must be.")
	}
	return nil
}
