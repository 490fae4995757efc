function [revents, n] = zeromq_poll(ids, events, timeout_ms)
%ZEROMQ_POLL Wait until any of several sockets is ready.
%   revents = zeromq_poll(ids)
%   [revents, n] = zeromq_poll(ids, events, timeout_ms)
%
%   ids: a vector of socket ids (generic ones, or from zeromq_role_socket). events: 'in'
%   (a message can be received, the default), 'out' (one can be queued), 'inout', or 1, 2,
%   3 — one value for all or one per id (a vector or a cell array). timeout_ms: -1 (default)
%   waits until one is ready or Ctrl-C, 0 looks once, > 0 waits at most that long. Queued
%   remote calls run while it waits.
%
%   revents has the size of ids: per socket the events that happened (0 none, 1 in, 2 out,
%   3 both); n is the number of ready sockets. A closed id raises zeromq:CLOSED.
%     r = zeromq_poll([pull, rep, sub], 'in', 1000);
%     if r(1), msg = zeromq_socket_recv(pull, 0); end
if nargin < 2
  events = 'in';
end
if nargin < 3
  timeout_ms = -1;
end
[revents, n] = zeromq_mex('poll', ids, events, timeout_ms);
end
