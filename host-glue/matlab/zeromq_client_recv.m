function msg = zeromq_client_recv(varargin)
%ZEROMQ_CLIENT_RECV Receive a message on the client socket.
%   msg = zeromq_client_recv()
%
%   Waits until a reply arrives and returns it as text. While waiting, queued remote
%   calls keep running, so one session can call its own server. Ctrl-C ends the wait
%   and returns ''. With zeromq_set('NOBUSYWAITRECV') it returns '' at once when
%   nothing is pending.
%
%   Errors are raised with the identifiers zeromq:<NAME> (for example
%   zeromq:INVALID_ARG); see also the Contents of this folder.
msg = zeromq_mex('client_recv', varargin{:});
end
