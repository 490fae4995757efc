function zeromq_handler_allow(varargin)
%ZEROMQ_HANDLER_ALLOW Let remote clients call only the listed functions.
%   zeromq_handler_allow(name)
%   zeromq_handler_allow({name1, name2, ...})
%
%   Once any name is listed, calls of other functions (system, eval, delete, ...) never
%   run: they are answered as an unknown function (error 101) and logged.
%
%   Errors are raised with the identifiers zeromq:<NAME> (for example
%   zeromq:INVALID_KEY); see also the Contents of this folder and the README's
%   "Security" section.
zeromq_mex('handler_allow', varargin{:});
end
