function check_errors()
% Error identifiers for bad input, the no-busy-wait flag and the local test entry points.
zeromq_stop();
zeromq_set('DEFAULT');

% Arguments and endpoints.
zmqtest_expect_error(@() zeromq_server_bind('abcd:1234'), 'zeromq:INVALID_ARG', 'Invalid argument!');
zmqtest_expect_error(@() zeromq_server_bind(''), 'zeromq:INVALID_ARG');
zmqtest_expect_error(@() zeromq_server_bind(5670), 'zeromq:INVALID_ARG', 'must be text');
zmqtest_expect_error(@() zeromq_server_bind(), 'zeromq:INVALID_ARG', 'usage');
zmqtest_expect_error(@() zeromq_server_bind('a', 'b'), 'zeromq:INVALID_ARG', 'usage');
zmqtest_expect_error(@() zeromq_server_bind(['ab'; 'cd']), 'zeromq:INVALID_ARG');
zmqtest_expect_error(@() zeromq_pub_bind('tcp://localhost:5555'), 'zeromq:INVALID_ARG');
zmqtest_expect_error(@() zeromq_client_connect({}), 'zeromq:INVALID_ARG');
zmqtest_expect_error(@() zeromq_mex('no_such_command'), 'zeromq:INVALID_ARG', 'unknown command');
zmqtest_expect_error(@() zeromq_mex(), 'zeromq:INVALID_ARG');

% Settings.
zmqtest_expect_error(@() zeromq_set(-1), 'zeromq:UNKNOWN_SET_FLAG');
zmqtest_expect_error(@() zeromq_set(32), 'zeromq:UNKNOWN_SET_FLAG');
zmqtest_expect_error(@() zeromq_set('BOGUS'), 'zeromq:UNKNOWN_SET_FLAG', 'BOGUS');
zmqtest_expect_error(@() zeromq_set(NaN), 'zeromq:INVALID_ARG');
zmqtest_expect_error(@() zeromq_set(1e12), 'zeromq:INVALID_ARG');
zmqtest_expect_error(@() zeromq_set_logging_template('[1]'), 'zeromq:INVALID_LOGGING_TEMPLATE');
zmqtest_expect_error(@() zeromq_set_max_message_size('big'), 'zeromq:INVALID_ARG');
zmqtest_expect_error(@() zeromq_set_max_message_size(-2), 'zeromq:INVALID_ARG');
zeromq_set_max_message_size(-1);
zeromq_set_max_message_size(1024);
zeromq_set({'DEBUG', 'ZeroMQ_SET_FLAGS_NOBUSYWAITRECV'});
zmqtest_check(bitand(zeromq_flags(), 10) == 10, 'zeromq_set with a cell of names');
zeromq_set('DEFAULT');
zmqtest_check(bitand(zeromq_flags(), 8) == 0, 'DEFAULT turns busy-waiting back on');
zeromq_set(33);  % an unknown bit next to a known one is ignored

% Filters.
zeromq_sub_add_filter('a');
% The message starts with the library's text for the code (zeromq_error_text).
zmqtest_expect_error(@() zeromq_sub_add_filter('a'), 'zeromq:MESSAGE_FILTER_DUPLICATED', ...
                     'Exists already as message filter');
zmqtest_expect_error(@() zeromq_sub_remove_filter('zz'), 'zeromq:MESSAGE_FILTER_MISSING', ...
                     'No such message filter.');
zeromq_sub_remove_filter('a');
zeromq_sub_remove_filter('');

% Handler.
zeromq_stop();
zmqtest_expect_error(@() zeromq_handler_start(), 'zeromq:HANDLER_NO_CONNECTION');
zeromq_server_bind('tcp://127.0.0.1:*');
endpoints = zeromq_endpoints('server');
zmqtest_check(numel(endpoints) == 1 && isempty(strfind(endpoints{1}, '*')), ...
              sprintf('the wildcard bind resolved to %s', endpoints{1}));
zeromq_handler_start();
zmqtest_expect_error(@() zeromq_handler_start(), 'zeromq:HANDLER_ALREADY_RUNNING');
zeromq_handler_stop();
zeromq_handler_stop();
zmqtest_expect_error(@() zeromq_endpoints('nobody'), 'zeromq:INVALID_ARG');
zmqtest_expect_error(@() zeromq_server_send('nobody', 'x'), 'zeromq:INVALID_ARG');
zeromq_stop();
zmqtest_expect_error(@() zeromq_client_send('x'), 'zeromq:INVALID_ARG');

% Multi-frame messages.
zmqtest_expect_error(@() zeromq_pub_send_multi('x'), 'zeromq:INVALID_TYPE');
zmqtest_expect_error(@() zeromq_pub_send_multi({'only'}), 'zeromq:INVALID_TYPE');
zmqtest_expect_error(@() zeromq_pub_send_multi({1, 'payload'}), 'zeromq:INVALID_TYPE');
zmqtest_expect_error(@() zeromq_pub_send_multi({'f', 'p', struct()}), 'zeromq:INVALID_TYPE');
zmqtest_expect_error(@() zeromq_pub_send_multi({'f', 'p', {1}}), 'zeromq:INVALID_TYPE');
zmqtest_expect_error(@() zeromq_sub_recv_multi({'float'}), 'zeromq:INVALID_TYPE', 'float');
zmqtest_expect_error(@() zeromq_sub_recv_multi(3), 'zeromq:INVALID_TYPE');
zeromq_pub_bind('tcp://127.0.0.1:*');
zeromq_pub_send('topic', 'text');
zeromq_pub_send('', '');
zeromq_pub_send_multi({'topic', 'payload', int16(1:4), single(1 + 2i), true(2), 'text', []});

% No busy waiting: every receive returns at once with empty results.
zeromq_set('NOBUSYWAITRECV');
zeromq_client_connect('tcp://127.0.0.1:9');
zeromq_sub_connect('tcp://127.0.0.1:9');
zeromq_sub_add_filter('');
zeromq_server_bind('tcp://127.0.0.1:*');
started = tic;
msg = zeromq_client_recv();
[payload, identity] = zeromq_server_recv();
[smsg, sfilter] = zeromq_sub_recv();
frames = zeromq_sub_recv_multi({'char', 'char', 'int16'});
elapsed = toc(started);
zmqtest_check(isempty(msg) && ischar(msg), 'client_recv returns ''''');
zmqtest_check(isempty(payload) && isempty(identity), 'server_recv returns '''' twice');
zmqtest_check(isempty(smsg) && isempty(sfilter), 'sub_recv returns '''' twice');
zmqtest_check(iscell(frames) && isempty(frames), 'sub_recv_multi returns {}');
zmqtest_check(elapsed < 1, sprintf('the four receives took %.3f s', elapsed));
zeromq_set('DEFAULT');
zeromq_stop();

% Local entry points.
reply = zeromq_test_callfunction('{"version": 1, "CallFunction": {"name": "zmqtest_add", "params": [2, 3]}}');
r = jsondecode(reply);
zmqtest_check(r.errorCode.value == 0 && r.result.value == 5, 'test_callfunction runs zmqtest_add');
reply = zeromq_test_callfunction('garbage');
r = jsondecode(reply);
zmqtest_check(r.errorCode.value == 3, 'test_callfunction reports invalid JSON in the reply');
json = zeromq_test_serializeWave(int16([1 2; 3 4]));
w = jsondecode(json);
zmqtest_check(strcmp(w.type, 'NT_I16') && isequal(w.dimension.size(:)', [2 2]) ...
              && isequal(w.data.raw(:)', [1 3 2 4]), 'test_serializeWave of an int16 matrix');
w = jsondecode(zeromq_test_serializeWave({'a', 'b'}));
zmqtest_check(strcmp(w.type, 'TEXT_WAVE_TYPE'), 'test_serializeWave of a cellstr');
zmqtest_expect_error(@() zeromq_test_serializeWave(struct()), 'zeromq:INVALID_TYPE');
zmqtest_expect_error(@() zeromq_test_serializeWave(zeros(2, 1, 1, 1, 2)), 'zeromq:INVALID_TYPE', '4 dimensions');
zmqtest_expect_error(@() zeromq_test_serializeWave(sparse(eye(2))), 'zeromq:INVALID_TYPE', 'sparse');
[library, libzmq] = zeromq_version();
zmqtest_check(~isempty(library) && ~isempty(libzmq), sprintf('versions %s, libzmq %s', library, libzmq));
end
