function reply = zeromq_test_callfunction(varargin)
%ZEROMQ_TEST_CALLFUNCTION Run a CallFunction request in this session and return the reply JSON.
%   reply = zeromq_test_callfunction(msg)
%
%   msg is the request text; no sockets are involved. Protocol errors are part of the
%   returned reply, not MATLAB errors.
%
%   Errors are raised with the identifiers zeromq:<NAME> (for example
%   zeromq:INVALID_ARG); see also the Contents of this folder.
reply = zeromq_mex('test_callfunction', varargin{:});
end
