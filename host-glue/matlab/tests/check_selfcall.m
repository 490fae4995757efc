function check_selfcall()
% One session as client and server at once: a blocking client receive keeps running the
% queued call that produces its own reply. Also the raw server_recv/server_send path.
zeromq_stop();
zeromq_server_bind('tcp://127.0.0.1:*');
endpoints = zeromq_endpoints('server');
zeromq_handler_start();
zeromq_client_connect(endpoints{1});
zeromq_client_send(['{"version": 1, "messageID": "self-1", "CallFunction": ' ...
                    '{"name": "zmqtest_add", "params": [40, 2]}}']);
reply = zeromq_client_recv();
r = jsondecode(reply);
zmqtest_check(r.errorCode.value == 0 && r.result.value == 42 && strcmp(r.messageID, 'self-1'), ...
              'the call to our own server ran while zeromq_client_recv waited');
zeromq_client_send('{"version": 1, "CallFunction": {"name": "zmqtest_cube", "params": [2, 2, 2]}}');
r = jsondecode(zeromq_client_recv());
zmqtest_check(strcmp(r.result.type, 'wave') && strcmp(r.result.value.type, 'NT_I16'), ...
              'an int16 array came back as an NT_I16 wave');
zeromq_handler_stop();

zeromq_client_send('ping');
[payload, identity] = zeromq_server_recv();
zmqtest_check(strcmp(payload, 'ping') && ~isempty(identity), 'server_recv got the payload and an identity');
zeromq_server_send(identity, ['pong:' payload]);
zmqtest_check(strcmp(zeromq_client_recv(), 'pong:ping'), 'server_send answered the client');
zeromq_stop();
end
