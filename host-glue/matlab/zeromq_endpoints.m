function list = zeromq_endpoints(varargin)
%ZEROMQ_ENDPOINTS The endpoints a socket is bound or connected to.
%   list = zeromq_endpoints(role)
%
%   role is 'client', 'server', 'publisher' or 'subscriber'. Returns a cell array of
%   char; bound endpoints are resolved, so a 'tcp://127.0.0.1:*' bind shows its port.
%
%   Errors are raised with the identifiers zeromq:<NAME> (for example
%   zeromq:INVALID_ARG); see also the Contents of this folder.
list = zeromq_mex('endpoints', varargin{:});
end
