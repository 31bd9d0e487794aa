package flinks

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// The use cases below are what the GUI and the command line run: they chain the endpoints the way the Flinks
// integration guide does, and talk to the user only through MFAFunc and a progress callback.

// MFAFunc asks the user the security questions of one MFA round and returns the answers keyed by the exact prompt
// text. Returning an error (for example because the user pressed Cancel) stops the flow.
type MFAFunc func(ctx context.Context, challenges []SecurityChallenge) (map[string][]string, error)

// maxMFARounds stops a flow whose bank (or a faulty simulator) keeps asking questions.
const maxMFARounds = 10

// MaxMFAAttempts bounds how many /Authorize flows RunAuthorize starts when the bank refuses a security answer.
const MaxMFAAttempts = 3

// RunAuthorize runs an /Authorize flow to its end: it answers every MFA round through mfa and returns a result that
// is Authorized or Pending.
//
// A wrong security answer (INVALID_SECURITY_RESPONSE) ends the RequestId in Flinks' current error table ("cannot
// retry"; docs/flinks-contract.md, "Wrong MFA answers"): RunAuthorize then reports StageMFARefused with a message
// for the person, and starts a new /Authorize with a fresh token, which asks the questions again, up to
// MaxMFAAttempts flows in all. Against an instance that still lets the same RequestId retry, the new flow works
// just as well. INVALID_SECURITY_RESPONSE_NO_RETRY, and the last refused attempt, end the flow with the error.
func RunAuthorize(ctx context.Context, c *Client, req AuthorizeRequest, mfa MFAFunc, progress func(Progress)) (*AuthorizeResult, error) {
	start := c.clock.Now()
	for attempt := 1; ; attempt++ {
		res, answered, err := runAuthorizeOnce(ctx, c, req, mfa, progress, start)
		if err == nil || !answered || ErrorCode(err) != CodeInvalidSecurityResponse || attempt >= MaxMFAAttempts {
			if answered && ErrorCode(err) == CodeInvalidSecurityResponse {
				return nil, fmt.Errorf("the bank refused the security answers %d times; check them and start again: %w", attempt, err)
			}
			return res, err
		}
		report(progress, Progress{Stage: StageMFARefused, Attempt: attempt, Elapsed: c.clock.Now().Sub(start),
			HTTPStatus: http.StatusUnauthorized, FlinksCode: CodeInvalidSecurityResponse,
			Message: fmt.Sprintf("The bank refused an answer to a security question, which ends that session. Starting again (attempt %d of %d): answer the questions again.",
				attempt+1, MaxMFAAttempts)})
	}
}

// runAuthorizeOnce is one /Authorize flow with its MFA rounds; answered says whether any answer was sent.
func runAuthorizeOnce(ctx context.Context, c *Client, req AuthorizeRequest, mfa MFAFunc, progress func(Progress), start time.Time) (*AuthorizeResult, bool, error) {
	report(progress, Progress{Stage: StageAuthorizing})
	res, err := c.Authorize(ctx, req)
	answered := false
	for err == nil && res.State() == NeedsMFA {
		if res.Round() >= maxMFARounds {
			return nil, answered, fmt.Errorf("stopped after %d rounds of security questions: the bank keeps asking (RequestId %s)",
				res.Round(), res.RequestID())
		}
		if mfa == nil {
			return nil, answered, fmt.Errorf("%w: the bank asks security questions but nobody can answer them here; run the flow interactively",
				ErrMFACancelled)
		}
		report(progress, Progress{Stage: StageAnsweringMFA, Attempt: res.Round() + 1, Elapsed: c.clock.Now().Sub(start),
			HTTPStatus: res.Response.HttpStatusCode, RequestID: res.RequestID()})
		answers, mfaErr := mfa(ctx, res.Challenges())
		if mfaErr != nil {
			return nil, answered, fmt.Errorf("%w: %w", ErrMFACancelled, mfaErr)
		}
		answered = true
		res, err = c.AnswerMFA(ctx, res, answers)
	}
	return res, answered, err
}

// FetchRequest is what FetchAccounts needs.
type FetchRequest struct {
	LoginID          string
	Live             bool // contact the bank (may ask MFA) instead of the last aggregation
	Days             Days // Days90 (default) or Days365
	WithIdentity     bool
	WithKYC          bool
	WithTransactions bool
	Language         string
	Tag              string
	// AccountsFilter limits the answer to these account Ids: the accounts the customer chose in Connect's account
	// selector, which Flinks says to keep and send back (docs/flinks-contract.md, "The account selector").
	AccountsFilter []string
	// BankingStatements asks for PDF statements with the details (AccountsDetailRequest.BankingStatements).
	BankingStatements StatementPeriod
}

// FetchAccounts authorizes loginID (cached, or live with Save), answers MFA through mfa, and fetches the accounts,
// waiting for Flinks while it answers 202.
//
// When /Authorize itself answers 202 (the test_pending and test_dispatched users on some instances, or data still
// being built right after Connect), GetAccountsDetail is still called with the RequestId and the options, and its 202
// is polled: the reference allows the Async poll only after a 202 from GetAccountsDetail.
func FetchAccounts(ctx context.Context, c *Client, req FetchRequest, mfa MFAFunc, progress func(Progress)) (*AccountsDetail, error) {
	if err := ValidateLoginID(req.LoginID); err != nil {
		return nil, err
	}
	days := req.Days
	if days == "" && req.WithTransactions {
		days = Days90
	}
	res, err := RunAuthorize(ctx, c, AuthorizeRequest{LoginID: req.LoginID, Live: req.Live, Language: req.Language,
		Tag: req.Tag}, mfa, progress)
	if err != nil {
		return nil, err
	}
	// Even when /Authorize itself answered 202, GetAccountsDetail comes first, with the user's options: the
	// reference says to poll GetAccountsDetailAsync "only after receiving a 202 from /GetAccountsDetail"
	// (docs/flinks-contract.md, "Account data"), and polling straight away would drop the options.
	detail, err := c.GetAccountsDetail(ctx, AccountsDetailRequest{RequestID: res.RequestID(),
		WithAccountIdentity: req.WithIdentity, WithKYC: req.WithKYC, WithTransactions: req.WithTransactions,
		DaysOfTransactions: days, AccountsFilter: req.AccountsFilter, BankingStatements: req.BankingStatements}, progress)
	if err != nil {
		return nil, err
	}
	report(progress, Progress{Stage: StageDone, HTTPStatus: detail.HttpStatusCode, RequestID: detail.RequestId})
	return detail, nil
}

// LoginTestUser logs in with the legacy direct login (no iframe), as the Toolbox test users allow, and returns the
// loginId Flinks created and the RequestId of the login. It answers MFA through mfa, and waits for the data when
// Flinks answers 202 (test_pending, test_dispatched), since only the data carries the loginId then.
func LoginTestUser(ctx context.Context, c *Client, username, password, institution string, mfa MFAFunc) (loginID, requestID string, err error) {
	return LoginTestUserTagged(ctx, c, username, password, institution, "", mfa)
}

// LoginTestUserTagged is LoginTestUser with a Tag on the /Authorize (the go-live checklist tags the login it creates
// to delete).
func LoginTestUserTagged(ctx context.Context, c *Client, username, password, institution, tag string, mfa MFAFunc) (loginID, requestID string, err error) {
	res, err := RunAuthorize(ctx, c, AuthorizeRequest{Username: username, Password: password, Institution: institution,
		Tag: tag}, mfa, nil)
	if err != nil {
		return "", "", err
	}
	loginID = res.LoginID()
	if res.State() == Pending { // the loginId comes with the data: GetAccountsDetail first, then its polls
		detail, err := c.GetAccountsDetail(ctx, AccountsDetailRequest{RequestID: res.RequestID()}, nil)
		if err != nil {
			return "", res.RequestID(), err
		}
		loginID = loginIDOf(detail.Login)
	}
	if loginID == "" {
		return "", res.RequestID(), errors.New("the login was authorized but Flinks returned no loginId (Login.Id); check the institution and the user")
	}
	return loginID, res.RequestID(), nil
}
