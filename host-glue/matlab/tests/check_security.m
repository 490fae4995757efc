function check_security()
% Security functions: CURVE keys and certificate files, error identifiers for bad keys and
% addresses, CURVE between the client and server sockets of this session (right and wrong
% server key), and the allow list of remote calls.
zeromq_stop();
zeromq_auth_reset();

% Keys.
[pub, sec] = zeromq_curve_keypair();
zmqtest_check(ischar(pub) && numel(pub) == 40 && numel(sec) == 40, 'a Z85 key pair');
zmqtest_check(strcmp(zeromq_curve_public(sec), pub), 'the public key of the secret key');
zmqtest_expect_error(@() zeromq_curve_public('short'), 'zeromq:INVALID_ARG', '5 characters');
zmqtest_expect_error(@() zeromq_curve_public(42), 'zeromq:INVALID_ARG');
zmqtest_expect_error(@() zeromq_auth_allow_key(repmat('~', 1, 40)), 'zeromq:INVALID_KEY', 'Z85');
zmqtest_expect_error(@() zeromq_role_set_option('client', 'CURVE_SERVERKEY', 'xyz'), ...
                     'zeromq:INVALID_ARG');
zmqtest_expect_error(@() zeromq_role_set_option('nobody', 'LINGER', 0), 'zeromq:INVALID_ARG');
zmqtest_expect_error(@() zeromq_role_set_option('client', 'NO_SUCH', 0), 'zeromq:INVALID_ARG');
zmqtest_expect_error(@() zeromq_role_set_option(7, 'LINGER', 0), 'zeromq:INVALID_ARG', 'role');
zmqtest_expect_error(@() zeromq_role_set_option('client', 'LINGER', 'x'), 'zeromq:INVALID_ARG');
zmqtest_expect_error(@() zeromq_role_set_option('client', 'LINGER', 0.5), 'zeromq:INVALID_ARG');
zeromq_role_set_option('client', 'ZMQ_SNDHWM', int32(1000));  % libzmq's default

% Addresses.
zmqtest_expect_error(@() zeromq_auth_allow('10.0.0.0/33'), 'zeromq:INVALID_ADDRESS', 'prefix');
zmqtest_expect_error(@() zeromq_auth_deny('example.org'), 'zeromq:INVALID_ADDRESS');
zeromq_auth_deny('192.0.2.0/24');
zeromq_auth_reset();

% Certificate files.
folder = tempname();
mkdir(folder);
[cpub, csec] = zeromq_curve_cert_create(folder, 'client');
[rpub, rsec] = zeromq_curve_cert_read(fullfile(folder, 'client.key_secret'));
zmqtest_check(strcmp(rpub, cpub) && strcmp(rsec, csec), 'a secret certificate reads back');
[rpub, rsec] = zeromq_curve_cert_read(fullfile(folder, 'client.key'));
zmqtest_check(strcmp(rpub, cpub) && isempty(rsec), 'a public certificate has no secret key');
zeromq_curve_cert_write(fullfile(folder, 'other.key'), pub);
zmqtest_check(zeromq_auth_allow_keys_from(folder) == 2, 'two allowed keys from the folder');
zeromq_auth_reset();
zmqtest_expect_error(@() zeromq_curve_cert_read(fullfile(folder, 'none.key')), ...
                     'zeromq:INVALID_CERTIFICATE');

% CURVE between this session's client and server sockets.
zeromq_role_set_option('server', 'CURVE_SERVER', 1);
zeromq_role_set_option('server', 'CURVE_SECRETKEY', sec);
zeromq_role_set_option('client', 'CURVE_SERVERKEY', pub);
zeromq_role_set_option('client', 'CURVE_PUBLICKEY', cpub);
zeromq_role_set_option('client', 'CURVE_SECRETKEY', csec);
zeromq_server_bind('tcp://127.0.0.1:*');
endpoint = zeromq_endpoints('server');
zeromq_client_connect(endpoint{1});
zeromq_client_send('over CURVE');
payload = recv_within(5);
zmqtest_check(strcmp(payload, 'over CURVE'), 'a message over CURVE');
zeromq_stop();

% The wrong server key: nothing arrives (the server options are kept across zeromq_stop).
[wrong, unused] = zeromq_curve_keypair();
zeromq_role_set_option('client', 'CURVE_SERVERKEY', wrong);
zeromq_server_bind('tcp://127.0.0.1:*');
endpoint = zeromq_endpoints('server');
zeromq_client_connect(endpoint{1});
zeromq_client_send('refused');
zmqtest_check(isempty(recv_within(1)), 'nothing arrives with the wrong server key');
zeromq_stop();
zeromq_role_set_option('server', 'CURVE_SERVER', 0);

% Only listed functions reach the session.
zeromq_handler_allow({'zmqtest_add', 'zmqtest_greet'});
r = jsondecode(zeromq_test_callfunction(call_json('zmqtest_value', '[]')));
zmqtest_check(r.errorCode.value == 101, 'an unlisted function is refused as unknown (101)');
r = jsondecode(zeromq_test_callfunction(call_json('zmqtest_add', '[2, 3]')));
zmqtest_check(r.errorCode.value == 0 && r.result.value == 5, 'a listed function runs');
zeromq_handler_allow_reset();
r = jsondecode(zeromq_test_callfunction(call_json('zmqtest_value', '[]')));
zmqtest_check(r.errorCode.value ~= 101, 'every function again after the reset');
confirm_recursive_rmdir(false, 'local');
rmdir(folder, 's');
end

function text = call_json(name, params)
text = sprintf('{"version": 1, "CallFunction": {"name": "%s", "params": %s}}', name, params);
end

function payload = recv_within(seconds)
% The server's next payload, or '' when none arrives within the bound.
zeromq_set('NOBUSYWAITRECV');
payload = '';
deadline = tic();
while isempty(payload) && toc(deadline) < seconds
  payload = zeromq_server_recv();
  if isempty(payload)
    pause(0.02);
  end
end
zeromq_set('DEFAULT');
end
