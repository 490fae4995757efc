function serve_secure()
% Serves remote calls as serve_calls does, locked down: CURVE with the secret certificate
% $ZMQTEST_CERT (made by pyzmq), only the clients whose certificates are in $ZMQTEST_CLIENTS,
% and only the functions zmqtest_add and zmqtest_stop.
[public_key, secret_key] = zeromq_curve_cert_read(getenv('ZMQTEST_CERT'));
zmqtest_check(numel(public_key) == 40, 'the server certificate reads');
zeromq_role_set_option('server', 'CURVE_SERVER', 1);
zeromq_role_set_option('server', 'CURVE_SECRETKEY', secret_key);
zmqtest_check(zeromq_auth_allow_keys_from(getenv('ZMQTEST_CLIENTS')) == 1, 'one allowed client');
zeromq_handler_allow({'zmqtest_add', 'zmqtest_stop'});
serve_calls();
zeromq_handler_allow_reset();
zeromq_auth_reset();
end
