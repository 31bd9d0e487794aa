package flinks

import (
	"context"
	"fmt"
	"time"
)

// /AuthorizeAsync (https://help.flinks.com/support/solutions/articles/43000735707-authorizeasync; contract entry
// flinks/contract/endpoints/AuthorizeAsync.json), for instances where Flinks switched it on
// (Environment.AuthorizeAsync): the same bodies as /Authorize, but the first call and every MFA answer answer 202
// with the RequestId, and the flow goes on by calling /AuthorizeAsync with that RequestId until it answers 203 (the
// questions) or 200 (authorized). The client waits the environment's poll interval between calls, as after any 202,
// for at most the poll timeout, and sends the flow's authorize token with each call, as it does with an MFA answer.

const endpointAuthorizeAsync = "AuthorizeAsync"

// authorizeEndpoint is the endpoint an /Authorize flow posts to in c's environment.
func (c *Client) authorizeEndpoint() string {
	if c.env.AuthorizeAsync {
		return endpointAuthorizeAsync
	}
	return endpointAuthorize
}

// sendAuthorize posts one /Authorize body and, on an /AuthorizeAsync instance, follows its 202 to the 203 or 200.
func (c *Client) sendAuthorize(ctx context.Context, body authorizeBody, live bool, token, loginID string, round int, secrets ...string) (*AuthorizeResult, error) {
	res, err := c.sendAuthorizeOnce(ctx, body, live, token, loginID, round, secrets...)
	if err != nil || !c.env.AuthorizeAsync || res.state != Pending {
		return res, err
	}
	start := c.clock.Now()
	for polls := 0; res.state == Pending; polls++ {
		elapsed := c.clock.Now().Sub(start)
		if elapsed >= c.pollTimeout {
			return nil, fmt.Errorf("%s: RequestId %s was still being authorized after %v (%d calls); start again, or ask "+
				"Flinks whether the bank is reachable", endpointAuthorizeAsync, res.requestID, c.pollTimeout, polls)
		}
		if err := c.clock.Sleep(ctx, min(c.pollInterval, c.pollTimeout-elapsed)); err != nil {
			return nil, fmt.Errorf("%s: stopped waiting for RequestId %s after %v: %w", endpointAuthorizeAsync,
				res.requestID, elapsed.Round(time.Millisecond), err)
		}
		if res, err = c.sendAuthorizeOnce(ctx, authorizeBody{RequestId: res.requestID}, live, token, loginID, round,
			secrets...); err != nil {
			return nil, err
		}
	}
	return res, nil
}
