function check_sockets()
% Generic sockets against pyzmq peers (octave_sockets.py runs the peers): REQ/REP both ways,
% a PUSH/PULL pipeline, ROUTER/DEALER, an XPUB/XSUB forwarder, a poll over three sockets,
% then bad input and stale ids. Endpoints of Python's bound sockets come in environment
% variables; Octave's own binds are announced as "BOUND <name> <endpoint> ..." lines.

% --- REQ here, REP in Python
req = zeromq_socket_new('REQ');
zeromq_socket_connect(req, getenv('ZT_REP'));
zeromq_socket_send(req, {'ping', int32([7 8 9])}, 5000);
r = zeromq_socket_recv(req, 10000, {'char', 'int32'});
zmqtest_check(numel(r) == 2 && strcmp(r{1}, 'pong'), 'REQ got the reply of the Python REP');
zmqtest_check(isequal(r{2}, int32([7; 8; 9])), 'the numeric frame came back as int32');

% --- REP here, REQ in Python
rep = zeromq_socket_new('rep');
ep = zeromq_socket_bind(rep, 'tcp://127.0.0.1:*');
zmqtest_check(strncmp(ep, 'tcp://127.0.0.1:', 16), 'bind returns the resolved endpoint');
fprintf('BOUND rep %s\n', ep); fflush(stdout);
m = zeromq_socket_recv(rep, 20000);
zmqtest_check(isequal(m, {'question', 'in two frames'}), 'REP got the Python request');
zeromq_socket_send(rep, {'answer', 'ü'});

% --- pipeline: Python PUSH -> Octave PULL -> Octave PUSH -> Python PULL
pull = zeromq_socket_new('PULL');
zeromq_socket_connect(pull, getenv('ZT_PUSH'));
push = zeromq_socket_new('ZMQ_PUSH');
zeromq_socket_connect(push, getenv('ZT_PULL'));
for k = 1:10
  t = zeromq_socket_recv(pull, 10000);
  zmqtest_check(numel(t) == 1 && strncmp(t{1}, 'task ', 5), sprintf('task %d pulled', k));
  zeromq_socket_send(push, ['done ' t{1}(6:end)], 5000);
end

% --- ROUTER here, DEALER in Python: the identity comes as uint8 and goes back unchanged
router = zeromq_socket_new('ROUTER');
ep = zeromq_socket_bind(router, 'tcp://127.0.0.1:*');
fprintf('BOUND router %s\n', ep); fflush(stdout);
m = zeromq_socket_recv(router, 20000, {'uint8', 'char'});
zmqtest_check(numel(m) == 2 && strcmp(m{2}, 'hello router'), 'ROUTER got the DEALER message');
zmqtest_check(strcmp(char(m{1}'), 'py-dealer'), 'the routing id is the DEALER''s');
zeromq_socket_send(router, {m{1}, 'hello dealer'}, 5000);

% --- XPUB/XSUB forwarder: Python PUB -> XSUB here -> XPUB here -> Python SUB
xsub = zeromq_socket_new('XSUB');
xsub_ep = zeromq_socket_bind(xsub, 'tcp://127.0.0.1:*');
xpub = zeromq_socket_new('XPUB');
xpub_ep = zeromq_socket_bind(xpub, 'tcp://127.0.0.1:*');
fprintf('BOUND forwarder %s %s\n', xsub_ep, xpub_ep); fflush(stdout);
forwarded = 0;
subscriptions = 0;
deadline = time() + 30;
while forwarded < 5 && time() < deadline
  [r, n] = zeromq_poll([xsub, xpub], 'in', 200);
  if r(2)
    s = zeromq_socket_recv(xpub, 0, 'uint8');
    zeromq_socket_send(xsub, s, 1000);
    subscriptions = subscriptions + 1;
  end
  if r(1)
    d = zeromq_socket_recv(xsub, 0, 'uint8');
    zeromq_socket_send(xpub, d, 0);
    forwarded = forwarded + 1;
  end
end
zmqtest_check(subscriptions >= 1, 'the subscription went upstream');
zmqtest_check(forwarded >= 5, 'five messages forwarded downstream');

% --- poll over three sockets
s3 = [zeromq_socket_new('PULL'), zeromq_socket_new('REP'), zeromq_socket_new('SUB')];
zeromq_socket_set_option(s3(3), 'SUBSCRIBE', 'news');
eps = cell(1, 3);
for k = 1:3
  eps{k} = zeromq_socket_bind(s3(k), 'tcp://127.0.0.1:*');
end
tic;
[r, n] = zeromq_poll(s3, 'in', 100);
zmqtest_check(isequal(r, [0 0 0]) && n == 0 && toc >= 0.09, 'a poll with nothing times out');
fprintf('BOUND poll3 %s %s %s\n', eps{:}); fflush(stdout);
seen = [0 0 0];
deadline = time() + 30;
while ~all(seen) && time() < deadline
  [r, n] = zeromq_poll(s3, [1 1 1], 1000);
  zmqtest_check(n == nnz(r) && all(r == 0 | r == 1), 'revents and count agree');
  for k = find(r)
    m = zeromq_socket_recv(s3(k), 0);
    zmqtest_check(~isempty(m), sprintf('socket %d had a message when polled ready', k));
    if k == 2
      zeromq_socket_send(s3(2), 'polled');
    end
    seen(k) = 1;
  end
end
zmqtest_check(all(seen), 'all three sockets became ready');
fprintf('POLLED all\n'); fflush(stdout);

% --- options and context options by name
zeromq_socket_set_option(push, 'sndhwm', 7);
zmqtest_check(zeromq_socket_get_option(push, 'SNDHWM') == 7, 'an option set and read by name');
zmqtest_check(zeromq_socket_get_option(rep, 'TYPE') == 4, 'TYPE of a REP is 4');
router_eps = zeromq_socket_endpoints(router);
zmqtest_check(strcmp(zeromq_socket_get_option(router, 'LAST_ENDPOINT'), router_eps{1}), ...
              'LAST_ENDPOINT as text');
zeromq_socket_set_option(router, 'MAXMSGSIZE', 1e6);
zmqtest_check(zeromq_socket_get_option(router, 'MAXMSGSIZE') == int64(1e6), '64-bit option');
zmqtest_check(zeromq_context_get_option('IO_THREADS') >= 1, 'context option by name');
zmqtest_expect_error(@() zeromq_context_set_option('MAX_SOCKETS', 10), 'zeromq:INVALID_ARG', ...
                     'before the first socket');
zmqtest_expect_error(@() zeromq_socket_set_option(push, 'NO_SUCH', 1), 'zeromq:INVALID_ARG');
zmqtest_expect_error(@() zeromq_socket_set_option(push, 'LINGER', 'text'), 'zeromq:INVALID_ARG');
zmqtest_expect_error(@() zeromq_socket_new('NOPE'), 'zeromq:INVALID_ARG');
zmqtest_expect_error(@() zeromq_socket_new(12), 'zeromq:INVALID_ARG');
zmqtest_expect_error(@() zeromq_socket_send(push, {}), 'zeromq:INVALID_ARG');
zmqtest_expect_error(@() zeromq_socket_send(push, {struct()}), 'zeromq:INVALID_TYPE');

% --- back-pressure: a PUSH with no peer cannot queue
lonely = zeromq_socket_new('PUSH');
tic;
zmqtest_expect_error(@() zeromq_socket_send(lonely, 'x', 100), 'zeromq:TIMEOUT', ...
                     'could not be queued within the timeout');
zmqtest_check(toc >= 0.09, 'the send waited its timeout');

% --- stale ids
all_ids = [req, rep, pull, push, router, xsub, xpub, s3, lonely];
for id = all_ids
  zeromq_socket_close(id);
end
zmqtest_expect_error(@() zeromq_socket_send(req, 'x'), 'zeromq:CLOSED');
zmqtest_expect_error(@() zeromq_socket_recv(rep, 0), 'zeromq:CLOSED');
zmqtest_expect_error(@() zeromq_socket_close(pull), 'zeromq:CLOSED');
zmqtest_expect_error(@() zeromq_poll(s3, 'in', 0), 'zeromq:CLOSED');
zmqtest_expect_error(@() zeromq_socket_get_option(push, 'LINGER'), 'zeromq:CLOSED');
zmqtest_expect_error(@() zeromq_socket_bind(1e9, 'tcp://127.0.0.1:*'), 'zeromq:CLOSED');
fresh = zeromq_socket_new('PAIR');
zmqtest_check(fresh > max(all_ids), 'a new socket never reuses an id');
zeromq_socket_close(fresh);
zmqtest_check(zeromq_role_socket('server') == 0, 'no server role socket yet');
end
