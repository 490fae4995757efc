% ZeroMQ for MATLAB and GNU Octave (zeromq-xop)
%
% Remote calls: clients call functions of this session with JSON requests.
%   zeromq_server_bind          - Bind the server (ROUTER) socket to an endpoint.
%   zeromq_handler_start        - Start serving remote calls on the bound server socket.
%   zeromq_handler_stop         - Stop serving remote calls.
%   zeromq_handler_process      - Run queued remote calls now (for scripts).
%   zeromq_server_send          - Send a message to one client of the server socket.
%   zeromq_server_recv          - Receive a message on the server socket.
%
% Client:
%   zeromq_client_connect       - Connect the client (DEALER) socket to a server.
%   zeromq_client_send          - Send a message from the client socket.
%   zeromq_client_recv          - Receive a message on the client socket.
%
% Publish/subscribe:
%   zeromq_pub_bind             - Bind the publisher (PUB) socket to an endpoint.
%   zeromq_pub_send             - Publish a text message under a filter (topic).
%   zeromq_pub_send_multi       - Publish a multi-frame message (numeric arrays as bytes).
%   zeromq_sub_connect          - Connect the subscriber (SUB) socket to a publisher.
%   zeromq_sub_add_filter       - Subscribe to messages whose first frame starts with filter.
%   zeromq_sub_remove_filter    - Remove a subscription filter.
%   zeromq_sub_recv             - Receive a two-frame message on the subscriber socket.
%   zeromq_sub_recv_multi       - Receive a message of two or more frames.
%
% Generic sockets: any ZeroMQ type, any number of them, and polling.
%   zeromq_socket_new           - Create a socket (PAIR, PUB, SUB, REQ, REP, DEALER, ROUTER, ...).
%   zeromq_socket_close         - Close a socket; its id is stale afterwards.
%   zeromq_socket_bind          - Bind to an endpoint; returns the resolved endpoint.
%   zeromq_socket_unbind        - Stop listening on one endpoint.
%   zeromq_socket_connect       - Connect to an endpoint.
%   zeromq_socket_disconnect    - Disconnect from one endpoint.
%   zeromq_socket_send          - Send one whole message (a frame or a cell array of frames).
%   zeromq_socket_recv          - Receive one whole message as a cell array of frames.
%   zeromq_socket_set_option    - Set a socket option by name ('LINGER', 'SUBSCRIBE', ...).
%   zeromq_socket_get_option    - Read a socket option.
%   zeromq_socket_endpoints     - The endpoints a socket is bound or connected to.
%   zeromq_context_set_option   - Set a context option ('IO_THREADS', 'MAX_SOCKETS', ...).
%   zeromq_context_get_option   - Read a context option.
%   zeromq_role_socket          - The id of a role socket, for polling.
%   zeromq_poll                 - Wait until any of several sockets is ready.
%
% Settings and state:
%   zeromq_set                  - Change settings (debug, IPv6, busy-wait, logging).
%   zeromq_flags                - The current settings.
%   zeromq_set_logging_template - Set the JSON object every log line starts from.
%   zeromq_set_log_path         - Set the file the JSONL message log is written to.
%   zeromq_set_max_message_size - Set the largest request the server socket accepts.
%   zeromq_set_heartbeat        - Set or turn off the publisher's heartbeat.
%   zeromq_endpoints            - The endpoints a socket is bound or connected to.
%   zeromq_stop                 - Stop the message handler and close every socket.
%   zeromq_version              - The versions of the library and of libzmq.
%
% Security (see the README's "Security" section):
%   zeromq_handler_allow        - Let remote clients call only the listed functions.
%   zeromq_handler_allow_reset  - Let remote clients call every function again.
%   zeromq_auth_allow           - Accept connections from an IP address or CIDR block only.
%   zeromq_auth_deny            - Refuse connections from an IP address or CIDR block.
%   zeromq_auth_allow_key       - Accept the CURVE client with this public key.
%   zeromq_auth_allow_keys_from - Accept the CURVE clients whose certificates are in a folder.
%   zeromq_auth_reset           - Remove every address and key rule.
%   zeromq_role_set_option      - Set a libzmq option (CURVE keys, ...) on a socket.
%   zeromq_curve_keypair        - A new CURVE key pair, as Z85 text.
%   zeromq_curve_public         - The public key that belongs to a CURVE secret key.
%   zeromq_curve_cert_create    - Make a key pair and write it as certificate files.
%   zeromq_curve_cert_read      - Read the keys of a certificate file (pyzmq's format).
%   zeromq_curve_cert_write     - Write keys as a certificate file.
%
% Testing:
%   zeromq_test_callfunction    - Run a CallFunction request and return the reply JSON.
%   zeromq_test_serializeWave   - The JSON a remote caller receives for an array.
%
% Errors are MATLAB errors with the identifiers zeromq:UNHANDLED, zeromq:UNKNOWN_SET_FLAG,
% zeromq:INTERNAL, zeromq:INVALID_ARG, zeromq:HANDLER_ALREADY_RUNNING,
% zeromq:HANDLER_NO_CONNECTION, zeromq:INVALID_MESSAGE_FORMAT,
% zeromq:INVALID_LOGGING_TEMPLATE, zeromq:MESSAGE_FILTER_DUPLICATED,
% zeromq:MESSAGE_FILTER_MISSING, zeromq:INVALID_TYPE, zeromq:TIMEOUT, zeromq:CLOSED,
% zeromq:FILTER_TOO_LONG, zeromq:INVALID_KEY, zeromq:INVALID_ADDRESS and
% zeromq:INVALID_CERTIFICATE.
%
% The MEX file zeromq_mex and the helpers zeromq_mex_invoke and zeromq_mex_driver are
% internal. Build with build.sh (Octave) or zeromq_build (MATLAB or Octave).

% Generated by host-glue/matlab/generate.py from functions.json. Do not edit.
